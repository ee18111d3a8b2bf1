import Foundation
import FulfillmentQueue
import ShopContracts

/// Carries out a fulfillment worker's report that it packed an order: reads the order, lets
/// ``FulfillmentRules`` decide, and writes the packing conditional on the order still being
/// paid and queued, so a report racing a cancel or a ship, or delivered twice, packs once.
public struct OrderPacking<Store: OrderStore>: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// What the report came to, and the order as it now stands.
  public func pack(
    _ id: UUID, warehouse: String, packingList: [OrderFulfillment.PackedLine], now: Date = Date()
  ) async throws -> (FulfillmentRules.PackDecision, OrderRecord) {
    guard let order = try await store.order(id: id) else { throw OrderError.notFound("order") }
    let decision = FulfillmentRules.decidePack(status: order.status, fulfillment: order.fulfillment)
    guard decision == .pack else { return (decision, order) }
    let packing = OrderFulfillment(status: .packed, warehouse: warehouse, packedAt: now, packingList: packingList)
    let event = FulfillmentPacked(orderID: id.lowercased, warehouse: warehouse, packedAt: now.rfc3339)
    let written = try await store.pack(id, packing: packing, at: now, events: [event])
    guard let current = try await store.order(id: id) else { throw OrderError.notFound("order") }
    if written { return (.pack, current) }
    // Cancelled, shipped or packed meanwhile: decided again from where it is now.
    let again = FulfillmentRules.decidePack(status: current.status, fulfillment: current.fulfillment)
    guard again != .pack else { throw OrderError.invalidTransition("the order changed meanwhile") }
    return (again, current)
  }
}
