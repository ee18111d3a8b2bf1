import Foundation
import FulfillmentQueue

/// Where an order stands in the warehouse (API.md's `fulfillment`): queued once paid, packed
/// by a worker, or cancelled with the order.
public struct OrderFulfillment: Sendable, Equatable {
  public enum Status: String, Sendable {
    case queued, packed, cancelled
  }

  /// One line of what was packed: a job's line, merged per product.
  public typealias PackedLine = FulfillmentJob.Line

  public var status: Status
  public var warehouse: String?
  public var packedAt: Date?
  public var packingList: [PackedLine]

  public init(status: Status, warehouse: String? = nil, packedAt: Date? = nil, packingList: [PackedLine] = []) {
    self.status = status
    self.warehouse = warehouse
    self.packedAt = packedAt
    self.packingList = packingList
  }
}
