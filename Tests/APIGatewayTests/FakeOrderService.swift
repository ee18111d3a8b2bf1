import GRPCCore
import ShopContracts
import Synchronization

/// An order service that answers placing an order with a set outcome and keeps what it was
/// asked, and reads the orders it is given.
final class FakeOrderService: Shop_Order_V1_OrderService.SimpleServiceProtocol, Sendable {
  let placed = Mutex<[Shop_Order_V1_PlaceOrderRequest]>([])
  let answer = Mutex<Result<Shop_Order_V1_PlaceOrderResponse, RPCError>>(.success(FakeOrderService.paid()))
  /// The orders `getOrder` knows (any other is not found), and how often it was asked.
  let stored = Mutex<[String: Shop_Order_V1_Order]>([:])
  let reads = Atomic<Int>(0)

  /// An order whose history went through `statuses`, a second apart.
  static func order(_ id: String, _ statuses: [String]) -> Shop_Order_V1_Order {
    var order = Shop_Order_V1_Order()
    order.id = id
    order.status = statuses.last ?? ""
    order.statusHistory = statuses.enumerated().map { index, status in
      var change = Shop_Order_V1_StatusChange()
      change.status = status
      change.at = "2026-12-03T10:00:0\(index)Z"
      return change
    }
    return order
  }

  static func paid() -> Shop_Order_V1_PlaceOrderResponse {
    var response = Shop_Order_V1_PlaceOrderResponse()
    response.status = 201
    response.order.id = "o1"
    response.order.status = "paid"
    response.order.total.amount = 1999
    response.order.total.currency = "USD"
    response.order.payment.status = "captured"
    return response
  }

  func placeOrder(request: Shop_Order_V1_PlaceOrderRequest, context: ServerContext) async throws
    -> Shop_Order_V1_PlaceOrderResponse
  {
    placed.withLock { $0.append(request) }
    return try answer.withLock { $0 }.get()
  }

  func getCart(request: Shop_Order_V1_CartRequest, context: ServerContext) async throws -> Shop_Order_V1_Cart {
    .init()
  }
  func setCartItem(request: Shop_Order_V1_SetCartItemRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Cart
  { .init() }
  func removeCartItem(request: Shop_Order_V1_CartItemRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Cart
  { .init() }
  func clearCart(request: Shop_Order_V1_CartRequest, context: ServerContext) async throws -> Shop_Order_V1_Empty {
    .init()
  }
  func getOrder(request: Shop_Order_V1_GetOrderRequest, context: ServerContext) async throws -> Shop_Order_V1_Order {
    let order = stored.withLock { $0[request.id] }
    // Counted once read, so that a test can change the order after the read.
    reads.add(1, ordering: .relaxed)
    guard let order else {
      throw RPCError(code: .notFound, message: "order not found")
    }
    return order
  }
  func listOrders(request: Shop_Order_V1_ListOrdersRequest, context: ServerContext) async throws
    -> Shop_Order_V1_OrderList
  { .init() }
  func shipOrder(request: Shop_Order_V1_ShipOrderRequest, context: ServerContext) async throws -> Shop_Order_V1_Order {
    throw RPCError(code: .notFound, message: "order not found")
  }
  func deliverOrder(request: Shop_Order_V1_OrderActionRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  { throw RPCError(code: .notFound, message: "order not found") }
  func completeOrder(request: Shop_Order_V1_OrderActionRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  { throw RPCError(code: .notFound, message: "order not found") }
  func listStuckOrders(request: Shop_Order_V1_ListStuckOrdersRequest, context: ServerContext) async throws
    -> Shop_Order_V1_OrderList
  { .init() }
  func cancelOrder(request: Shop_Order_V1_OrderActionRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  { throw RPCError(code: .notFound, message: "order not found") }
  func packOrder(request: Shop_Order_V1_PackOrderRequest, context: ServerContext) async throws
    -> Shop_Order_V1_PackOrderResponse
  { throw RPCError(code: .permissionDenied, message: "the gateway does not pack orders") }
}
