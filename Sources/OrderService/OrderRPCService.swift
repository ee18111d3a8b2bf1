import Foundation
import FulfillmentQueue
import GRPCCore
import ShopContracts
import ShopIdempotency
import ShopRPC
import SwiftProtobuf

/// The gRPC face of the cart, ``Checkout`` and the order store: translates messages, holds
/// `PlaceOrder` to its idempotency key, nothing more. The user is always the token's.
struct OrderRPCService<Store: OrderStore>: Shop_Order_V1_OrderService.SimpleServiceProtocol {
  let carts: any CartStore
  let inventory: any Inventory
  let checkout: Checkout<Store>
  let transitions: OrderTransitions<Store>
  let packing: OrderPacking<Store>
  let store: Store
  let keys: PostgresIdempotencyStore
  /// A pending order older than this is stuck (`checkout.stuckAfter`).
  let stuckAfter: Duration

  func getCart(request: Shop_Order_V1_CartRequest, context: ServerContext) async throws -> Shop_Order_V1_Cart {
    try await cart(of: try RPCCaller.endUser().id)
  }

  func setCartItem(request: Shop_Order_V1_SetCartItemRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Cart
  {
    let user = try RPCCaller.endUser().id
    guard let productID = UUID(uuidString: request.productID) else { throw OrderError.notFound("product") }
    guard request.quantity != 0 else {
      try await carts.remove(productID, for: user)
      return try await cart(of: user)
    }
    async let lines = carts.lines(of: user)
    guard let product = try await inventory.products([productID])[productID] else {
      throw OrderError.notFound("product")
    }
    try CartRules.check(quantity: request.quantity, of: productID, available: product.available, in: try await lines)
    try await carts.set(request.quantity, of: productID, for: user)
    return try await cart(of: user)
  }

  func removeCartItem(request: Shop_Order_V1_CartItemRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Cart
  {
    let user = try RPCCaller.endUser().id
    guard let productID = UUID(uuidString: request.productID) else { throw OrderError.notFound("product") }
    try await carts.remove(productID, for: user)
    return try await cart(of: user)
  }

  func clearCart(request: Shop_Order_V1_CartRequest, context: ServerContext) async throws -> Shop_Order_V1_Empty {
    try await carts.clear(for: try RPCCaller.endUser().id)
    return .init()
  }

  private func cart(of user: UUID) async throws -> Shop_Order_V1_Cart {
    let lines = try await carts.lines(of: user)
    let products = lines.isEmpty ? [:] : try await inventory.products(Array(lines.keys))
    return .init(CartRules.view(of: lines, products: products))
  }

  func placeOrder(request: Shop_Order_V1_PlaceOrderRequest, context: ServerContext) async throws
    -> Shop_Order_V1_PlaceOrderResponse
  {
    let user = try RPCCaller.endUser().id
    let checked = try CheckoutRequest(request)
    guard let key = IdempotencyKey(header: request.idempotencyKey) else {
      throw OrderError.invalid("Idempotency-Key", "must be 1 to 255 printable characters")
    }
    guard !request.fingerprint.isEmpty else { throw OrderError.invalid("fingerprint", "is required") }
    let scope = user.lowercased
    let decision = try await keys.begin(scope: scope, key: key, fingerprint: request.fingerprint)
    switch decision {
    case .replay(let stored):
      return try Shop_Order_V1_PlaceOrderResponse(serializedBytes: stored.body)
    case .reused:
      throw OrderError.idempotencyKeyReused
    case .inUse(let seconds):
      throw OrderError.idempotencyKeyInUse(retryAfterSeconds: seconds)
    case .proceed, .takeOver:
      let result: Checkout<Store>.Result
      do {
        result = try await checkout.place(checked, for: user, key: key.value, takingOver: decision == .takeOver)
      } catch {
        // Nothing was placed: a retry with the key runs afresh.
        try? await keys.release(scope: scope, key: key)
        throw error
      }
      let response = Shop_Order_V1_PlaceOrderResponse(result)
      try await keys.complete(
        scope: scope, key: key,
        response: StoredResponse(
          status: Int(response.status), contentType: "application/x-protobuf", body: try response.serializedBytes()))
      return response
    }
  }

  func getOrder(request: Shop_Order_V1_GetOrderRequest, context: ServerContext) async throws -> Shop_Order_V1_Order {
    let user = try RPCCaller.endUser()
    guard let id = UUID(uuidString: request.id), let order = try await store.order(id: id),
      user.isAdmin || order.document.userID == user.id
    else { throw OrderError.notFound("order") }
    return .init(order)
  }

  func listOrders(request: Shop_Order_V1_ListOrdersRequest, context: ServerContext) async throws
    -> Shop_Order_V1_OrderList
  {
    let user = try RPCCaller.endUser()
    var filter: UUID?
    if !request.userID.isEmpty {
      guard let id = UUID(uuidString: request.userID) else { throw OrderError.invalid("user_id", "is not a user id") }
      filter = id
    }
    // A customer's orders are their own, whatever the filter says.
    let owner = user.isAdmin ? filter : user.id
    var status: OrderStatus?
    if !request.status.isEmpty {
      guard let given = OrderStatus(rawValue: request.status) else {
        throw OrderError.invalid(
          "status", "must be one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      status = given
    }
    return try await Self.list(limit: request.limit, cursor: request.cursor) { after, limit in
      try await store.orders(userID: owner, status: status, after: after, limit: limit)
    }
  }

  func shipOrder(request: Shop_Order_V1_ShipOrderRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  {
    var violations: [OrderError.FieldViolation] = []
    let carrier = request.carrier.trimmingCharacters(in: .whitespaces)
    let tracking = request.trackingNumber.trimmingCharacters(in: .whitespaces)
    if !(1...100).contains(carrier.count) {
      violations.append(.init(field: "carrier", reason: "must be 1 to 100 characters"))
    }
    if !(1...100).contains(tracking.count) {
      violations.append(.init(field: "tracking_number", reason: "must be 1 to 100 characters"))
    }
    guard violations.isEmpty else { throw OrderError.validationFailed(violations) }
    return try await apply(.ship(carrier: carrier, trackingNumber: tracking), to: request.id)
  }

  func deliverOrder(request: Shop_Order_V1_OrderActionRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  {
    try await apply(.deliver, to: request.id)
  }

  func completeOrder(request: Shop_Order_V1_OrderActionRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  {
    try await apply(.complete, to: request.id)
  }

  func cancelOrder(request: Shop_Order_V1_OrderActionRequest, context: ServerContext) async throws
    -> Shop_Order_V1_Order
  {
    try await apply(.cancel, to: request.id)
  }

  func listStuckOrders(request: Shop_Order_V1_ListStuckOrdersRequest, context: ServerContext) async throws
    -> Shop_Order_V1_OrderList
  {
    guard try RPCCaller.endUser().isAdmin else { throw OrderError.forbidden("stuck orders are for admins") }
    let cutoff = Date().addingTimeInterval(-(stuckAfter / .seconds(1)))
    return try await Self.list(limit: request.limit, cursor: request.cursor) { after, limit in
      try await store.stuckOrders(before: cutoff, after: after, limit: limit)
    }
  }

  func packOrder(request: Shop_Order_V1_PackOrderRequest, context: ServerContext) async throws
    -> Shop_Order_V1_PackOrderResponse
  {
    guard let id = UUID(uuidString: request.orderID) else { throw OrderError.notFound("order") }
    var violations: [OrderError.FieldViolation] = []
    let warehouse = request.warehouse.trimmingCharacters(in: .whitespaces)
    if !(1...100).contains(warehouse.count) {
      violations.append(.init(field: "warehouse", reason: "must be 1 to 100 characters"))
    }
    var lines: [OrderFulfillment.PackedLine] = []
    for (index, line) in request.packingList.enumerated() {
      guard let product = UUID(uuidString: line.productID), line.quantity > 0 else {
        violations.append(.init(field: "packing_list[\(index)]", reason: "needs a product id and a positive quantity"))
        continue
      }
      lines.append(.init(productID: product, name: line.name, quantity: line.quantity))
    }
    if request.packingList.isEmpty { violations.append(.init(field: "packing_list", reason: "must not be empty")) }
    guard violations.isEmpty else { throw OrderError.validationFailed(violations) }
    let (decision, order) = try await packing.pack(id, warehouse: warehouse, packingList: lines)
    var response = Shop_Order_V1_PackOrderResponse()
    response.outcome =
      switch decision {
      case .pack: .packed
      case .alreadyPacked: .alreadyPacked
      case .skip: .skipped
      }
    response.status = order.status.rawValue
    return response
  }

  /// A page of orders as a listing answers it: the requested `limit` (20 when 0, at most
  /// 100) from after `cursor`, read by `read`.
  static func list(
    limit requested: Int32, cursor: String,
    _ read: (PageCursor?, Int) async throws -> (orders: [OrderRecord], next: PageCursor?)
  ) async throws -> Shop_Order_V1_OrderList {
    let request: PageRequest
    do {
      request = try PageRequest(limit: requested, cursor: cursor)
    } catch {
      throw OrderError.invalid(error.field, error.reason)
    }
    let page = try await read(request.after, request.limit)
    var list = Shop_Order_V1_OrderList()
    list.items = page.orders.map(Shop_Order_V1_Order.init)
    list.nextCursor = page.next?.encoded ?? ""
    return list
  }

  private func apply(_ action: OrderLifecycle.Action, to id: String) async throws -> Shop_Order_V1_Order {
    let user = try RPCCaller.endUser()
    guard let id = UUID(uuidString: id) else { throw OrderError.notFound("order") }
    return .init(try await transitions.apply(action, to: id, by: .init(id: user.id, isAdmin: user.isAdmin)))
  }

}
