import Foundation
import FulfillmentQueue

/// How a job is packed, decided without I/O: the warehouse that ships to the order's country,
/// and the packing list, one line per product (lines of the same product together), in the
/// order a picker walks them (by name).
public struct PackingPlan: Sendable, Equatable {
  public var warehouse: String
  public var lines: [FulfillmentJob.Line]

  public init(_ job: FulfillmentJob, warehouses: Warehouses) {
    warehouse = warehouses.warehouse(for: job.country)
    var merged: [FulfillmentJob.Line] = []
    for line in job.lines {
      if let index = merged.firstIndex(where: { $0.productID == line.productID }) {
        merged[index].quantity += line.quantity
      } else {
        merged.append(line)
      }
    }
    lines = merged.sorted { ($0.name, $0.productID.uuidString) < ($1.name, $1.productID.uuidString) }
  }
}
