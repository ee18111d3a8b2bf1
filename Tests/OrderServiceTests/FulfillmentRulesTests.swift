import Foundation
import Testing

@testable import OrderService

struct FulfillmentRulesTests {
  @Test func aPaidQueuedOrderIsPackedOnce() {
    #expect(FulfillmentRules.decidePack(status: .paid, fulfillment: .init(status: .queued)) == .pack)
    #expect(FulfillmentRules.decidePack(status: .paid, fulfillment: .init(status: .packed)) == .alreadyPacked)
    // Shipped after it was packed: the second report is still the same packing.
    #expect(FulfillmentRules.decidePack(status: .shipped, fulfillment: .init(status: .packed)) == .alreadyPacked)
  }

  @Test func cancelledShippedOrUnpaidOrdersAreSkipped() {
    #expect(FulfillmentRules.decidePack(status: .cancelled, fulfillment: .init(status: .cancelled)) == .skip)
    #expect(FulfillmentRules.decidePack(status: .shipped, fulfillment: .init(status: .queued)) == .skip)
    #expect(FulfillmentRules.decidePack(status: .delivered, fulfillment: .init(status: .queued)) == .skip)
    #expect(FulfillmentRules.decidePack(status: .pending, fulfillment: nil) == .skip)
  }

  @Test func aCancelOfAPaidOrderDropsItsJobAndAShipClosesIt() {
    #expect(FulfillmentRules.jobChange(from: .paid, to: .cancelled) == .drop)
    #expect(FulfillmentRules.jobChange(from: .paid, to: .shipped) == .close)
    #expect(FulfillmentRules.jobChange(from: .pending, to: .cancelled) == nil)
    #expect(FulfillmentRules.jobChange(from: .shipped, to: .delivered) == nil)
    #expect(FulfillmentRules.jobChange(from: .delivered, to: .completed) == nil)
  }
}
