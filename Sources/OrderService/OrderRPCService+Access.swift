import ShopContracts
import ShopRPC

extension OrderRPCService {
  /// Carts and orders are their user's own, reached through the gateway with the user's token;
  /// the fulfillment worker reports packed orders as itself.
  static var accessPolicy: AccessPolicy {
    AccessPolicy(
      service: Shop_Order_V1_OrderService.descriptor,
      rules: [
        "GetCart": .init(["gateway": .required]),
        "SetCartItem": .init(["gateway": .required]),
        "RemoveCartItem": .init(["gateway": .required]),
        "ClearCart": .init(["gateway": .required]),
        "PlaceOrder": .init(["gateway": .required]),
        "GetOrder": .init(["gateway": .required]),
        "ListOrders": .init(["gateway": .required]),
        "ShipOrder": .init(["gateway": .required]),
        "DeliverOrder": .init(["gateway": .required]),
        "CompleteOrder": .init(["gateway": .required]),
        "CancelOrder": .init(["gateway": .required]),
        "ListStuckOrders": .init(["gateway": .admin]),
        // For no end user: the worker's certificate is its identity.
        "PackOrder": .init(["fulfillment": .none]),
      ])
  }
}
