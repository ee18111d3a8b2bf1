import GRPCCore
import ShopContracts
import Testing

@testable import OrderService
@testable import ShopRPC

/// Who may call what: the gateway everything an end user does, an administrator's token for
/// the stuck orders, and the fulfillment worker only its reports, for no end user.
@Suite struct OrderRPCServiceAccessTests {
  static let policy = OrderRPCService<PostgresOrderStore>.accessPolicy

  static func requirement(_ method: String, for caller: String) -> AccessPolicy.User? {
    policy.rule(for: MethodDescriptor(service: Shop_Order_V1_OrderService.descriptor, method: method))?
      .requirement(for: caller)
  }

  static let userMethods = [
    "GetCart", "SetCartItem", "RemoveCartItem", "ClearCart", "PlaceOrder", "GetOrder", "ListOrders", "ShipOrder",
    "DeliverOrder", "CompleteOrder", "CancelOrder",
  ]

  @Test func onlyTheFulfillmentWorkerReportsPackedOrdersAndItCallsNothingElse() {
    #expect(Self.requirement("PackOrder", for: "fulfillment") == AccessPolicy.User.none)
    for caller in ["gateway", "notification", "product"] {
      #expect(Self.requirement("PackOrder", for: caller) == nil, "\(caller) may not pack")
    }
    for method in Self.userMethods + ["ListStuckOrders"] {
      #expect(Self.requirement(method, for: "fulfillment") == nil, "the worker may not call \(method)")
    }
  }

  @Test func theGatewayCallsForAnEndUserAndAnAdministratorListsTheStuckOrders() {
    for method in Self.userMethods {
      #expect(Self.requirement(method, for: "gateway") == .required, "\(method)")
    }
    #expect(Self.requirement("ListStuckOrders", for: "gateway") == .admin)
  }
}
