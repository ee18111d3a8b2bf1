import Foundation
import GRPCCore
import HTTPTypes
import Hummingbird
import ShopContracts
import ShopIdempotency
import ShopRPC

/// The "Orders" routes of API.md: placing an order under its `Idempotency-Key`, reading one,
/// listing them, and moving one after payment (ship, deliver, complete, cancel).
struct OrderRoutes<Transport: ClientTransport>: Sendable {
  let upstream: Upstream<Shop_Order_V1_OrderService.Client<Transport>>
  let maxBodyBytes: Int

  func add(to api: RouterGroup<GatewayRequestContext>, auth: BearerAuthMiddleware) {
    let orders = api.group("orders").add(middleware: auth)
    orders.post(use: place)
    orders.get(use: list)
    orders.get("{id}", use: get)
    orders.post("{id}/ship", use: ship)
    orders.post("{id}/deliver", use: deliver)
    orders.post("{id}/complete", use: complete)
    orders.post("{id}/cancel", use: cancel)
    api.group("admin/orders").add(middleware: auth).get(use: stuck)
  }

  @Sendable func place(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    guard let header = request.headers[.idempotencyKey] else {
      throw APIProblem(
        status: .badRequest, code: "idempotency_key_required",
        detail: "POST /orders needs an Idempotency-Key header, so that a retry cannot order twice")
    }
    let bytes = try await request.body.collect(upTo: maxBodyBytes)
    let body = try JSONIO.decode(PlaceOrderBody.self, from: Data(bytes.readableBytesView))
    var message = Shop_Order_V1_PlaceOrderRequest()
    message.idempotencyKey = header
    message.fingerprint = IdempotencyDecision.fingerprint(
      method: request.method.rawValue, path: request.uri.path, body: bytes.readableBytesView)
    if let items = body.items {
      message.items = items.map { item in
        var line = Shop_Order_V1_OrderLineRequest()
        line.productID = item.productId
        line.quantity = item.quantity
        return line
      }
    } else {
      message.orderCart = true
    }
    if let id = body.shippingAddressId { message.shippingAddressID = id }
    if let address = body.shippingAddress {
      if message.shipping != nil {
        throw APIProblem.validation(
          "give exactly one of shipping_address_id and shipping_address",
          fields: [("shipping_address", "give exactly one of shipping_address_id and shipping_address")])
      }
      var given = Shop_Order_V1_Address()
      given.line1 = address.line1
      if let line2 = address.line2 { given.line2 = line2 }
      given.city = address.city
      given.postalCode = address.postalCode
      given.country = address.country
      message.shippingAddress = given
    }
    message.card.number = body.payment.cardNumber
    message.card.expMonth = body.payment.expMonth
    message.card.expYear = body.payment.expYear
    message.card.cvc = body.payment.cvc
    let response: Shop_Order_V1_PlaceOrderResponse
    do {
      // Safe to send again to another instance: the key makes a repetition answer the first.
      response = try await upstream.idempotent { try await $0.placeOrder(message, options: $1) }
    } catch let error as RPCError {
      var problem = APIProblem(rpcError: error)
      if problem.code == "idempotency_key_reused" { problem.status = .unprocessableContent }
      throw problem
    }
    return try Self.answer(response, requestID: context.requestID)
  }

  /// The stored outcome as the client sees it; the same outcome always writes the same bytes.
  static func answer(_ response: Shop_Order_V1_PlaceOrderResponse, requestID: String) throws -> Response {
    switch response.status {
    case 201: return try JSONIO.response(.created, OrderView(response.order))
    case 202: return try JSONIO.response(.accepted, OrderView(response.order))
    default:
      let status: HTTPResponse.Status =
        response.status == 402 ? HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required") : .conflict
      var problem = APIProblem(status: status, code: response.errorCode, detail: response.errorDetail)
      problem.extensions["order_id"] = .string(response.order.id)
      if !response.shortItems.isEmpty {
        problem.extensions["items"] = .array(
          response.shortItems.map { item in
            .object([
              "product_id": .string(item.productID), "requested": .int(Int(item.requested)),
              "available": .int(Int(item.available)),
              "waitlist_url": .string("/api/v1/products/\(item.productID)/waitlist"),
            ])
          })
      }
      return problem.response(requestID: requestID)
    }
  }

  @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let order = try await Self.order(context.parameters.get("id") ?? "", from: upstream)
    return try JSONIO.response(.ok, OrderView(order))
  }

  /// One order, read as the caller: another user's order is not found.
  static func order(
    _ id: String, from upstream: Upstream<Shop_Order_V1_OrderService.Client<Transport>>
  ) async throws -> Shop_Order_V1_Order {
    var message = Shop_Order_V1_GetOrderRequest()
    message.id = id
    return try await upstream.idempotent { try await $0.getOrder(message, options: $1) }
  }

  @Sendable func ship(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    let bytes = try await request.body.collect(upTo: maxBodyBytes)
    let body = try JSONIO.decode(ShipBody.self, from: Data(bytes.readableBytesView))
    var message = Shop_Order_V1_ShipOrderRequest()
    message.id = context.parameters.get("id") ?? ""
    message.carrier = body.carrier
    message.trackingNumber = body.trackingNumber
    // Not resent: a second ship of the order is refused, so a retry would answer 409.
    let order = try await upstream.once { try await $0.shipOrder(message, options: $1) }
    return try JSONIO.response(.ok, OrderView(order))
  }

  @Sendable func deliver(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    return try await move(context) { try await $0.deliverOrder($1, options: $2) }
  }

  @Sendable func complete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try await move(context) { try await $0.completeOrder($1, options: $2) }
  }

  @Sendable func cancel(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try await move(context) { try await $0.cancelOrder($1, options: $2) }
  }

  private func move(
    _ context: GatewayRequestContext,
    _ call:
      @escaping @Sendable (
        Shop_Order_V1_OrderService.Client<Transport>, Shop_Order_V1_OrderActionRequest, CallOptions
      ) async throws -> Shop_Order_V1_Order
  ) async throws -> Response {
    var message = Shop_Order_V1_OrderActionRequest()
    message.id = context.parameters.get("id") ?? ""
    let order = try await upstream.once { try await call($0, message, $1) }
    return try JSONIO.response(.ok, OrderView(order))
  }

  /// `GET /admin/orders?stuck=true`: orders still pending after `checkout.stuckAfter`.
  @Sendable func stuck(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    let query = request.uri.queryParameters
    guard query["stuck"] == "true" else {
      throw APIProblem.validation(
        "this listing is of stuck orders: give stuck=true (GET /orders lists every order)",
        fields: [("stuck", "must be true")])
    }
    var message = Shop_Order_V1_ListStuckOrdersRequest()
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let list = try await upstream.idempotent { try await $0.listStuckOrders(message, options: $1) }
    return try JSONIO.response(
      .ok,
      ListView(
        items: list.items.map { OrderView($0, withSagaStep: true) },
        nextCursor: list.nextCursor.isEmpty ? nil : list.nextCursor))
  }

  @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let query = request.uri.queryParameters
    var message = Shop_Order_V1_ListOrdersRequest()
    if let status = try QueryParameters.given(query["status"], "status") { message.status = status }
    if let user = try QueryParameters.given(query["user_id"], "user_id") { message.userID = user }
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let list = try await upstream.idempotent { try await $0.listOrders(message, options: $1) }
    return try JSONIO.response(
      .ok,
      ListView(items: list.items.map { OrderView($0) }, nextCursor: list.nextCursor.isEmpty ? nil : list.nextCursor))
  }
}

extension HTTPField.Name {
  static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
  /// The id of the last server-sent event a reconnecting client received.
  static let lastEventID = HTTPField.Name("Last-Event-ID")!
  /// Tells nginx to pass a response on as it comes instead of buffering it.
  static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!
}
