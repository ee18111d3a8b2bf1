import Foundation
import FulfillmentQueue
import Testing

@testable import FulfillmentWorker

struct PackingPlanTests {
  @Test func linesOfOneProductArePackedTogetherInPickingOrder() throws {
    let (lamp, desk) = (UUID(), UUID())
    let job = FulfillmentJob(
      orderID: UUID(),
      lines: [
        .init(productID: lamp, name: "Lamp", quantity: 1), .init(productID: desk, name: "Desk", quantity: 1),
        .init(productID: lamp, name: "Lamp", quantity: 2),
      ], country: "GB")
    let plan = PackingPlan(job, warehouses: try Warehouses())
    #expect(plan.warehouse == "uk")
    #expect(
      plan.lines == [
        .init(productID: desk, name: "Desk", quantity: 1), .init(productID: lamp, name: "Lamp", quantity: 3),
      ])
  }
}
