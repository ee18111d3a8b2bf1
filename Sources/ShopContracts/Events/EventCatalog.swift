/// Every event of DESIGN.md §4, for what handles them all alike (tests, documentation).
public enum EventCatalog {
  public static let all: [any EventContract.Type] = [
    UserRegistered.self, OrderCreated.self, OrderStatusChanged.self, PaymentSucceeded.self, PaymentFailed.self,
    InventoryLowStock.self, ProductBackInStock.self, FulfillmentPacked.self,
  ]
}
