import Foundation
import ShopContracts
import ShopMessaging

/// A change of one product's availability, and the events it makes happen: crossing down to
/// the product's low-stock threshold announces `inventory.low_stock`, rising from zero
/// announces `product.back_in_stock` to whoever waits for it.
struct StockChange: Sendable, Equatable {
  let productID: UUID
  let sku: String
  let name: String
  let threshold: Int64
  /// Available (on hand less reserved) before and after the change.
  let before: Int64
  let after: Int64
  /// The inventory row's version after the change: the events' aggregate version.
  let version: Int64

  /// `inventory.low_stock`, when the change crosses the threshold from above without
  /// selling out (selling out is not low stock but none).
  var lowStock: OutboxEvent<InventoryLowStock>? {
    guard before > threshold && after <= threshold && after > 0 else { return nil }
    return OutboxEvent(
      InventoryLowStock(productID: productID.lowercased, sku: sku, name: name, available: after, threshold: threshold),
      aggregateID: productID, aggregateVersion: version)
  }

  /// Whether the product was sold out and now is not.
  var isBackInStock: Bool { before <= 0 && after > 0 }

  /// `product.back_in_stock` for the customers on the waitlist, oldest first.
  func backInStock(waitlist: [UUID]) -> OutboxEvent<ProductBackInStock>? {
    guard isBackInStock else { return nil }
    return OutboxEvent(
      ProductBackInStock(
        productID: productID.lowercased, sku: sku, name: name, available: after,
        waitlistUserIDs: waitlist.map(\.lowercased)),
      aggregateID: productID, aggregateVersion: version)
  }
}
