import GRPCCore
import Hummingbird
import ShopContracts
import ShopRPC

/// The "Cart" routes of API.md: the caller's own cart, kept by the order service.
struct CartRoutes<Transport: ClientTransport>: Sendable {
  let upstream: Upstream<Shop_Order_V1_OrderService.Client<Transport>>
  let maxBodyBytes: Int

  func add(to api: RouterGroup<GatewayRequestContext>, auth: BearerAuthMiddleware) {
    let cart = api.group("cart").add(middleware: auth)
    cart.get(use: get)
    cart.delete(use: clear)
    cart.put("items/{product_id}", use: set)
    cart.delete("items/{product_id}", use: remove)
  }

  @Sendable func get(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let cart = try await upstream.idempotent { try await $0.getCart(.init(), options: $1) }
    return try JSONIO.response(.ok, CartView(cart))
  }

  @Sendable func set(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(CartQuantityBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Order_V1_SetCartItemRequest()
    message.productID = context.parameters.get("product_id") ?? ""
    message.quantity = body.quantity
    // Setting a quantity is the same change however often it is sent.
    let cart = try await upstream.idempotent { try await $0.setCartItem(message, options: $1) }
    return try JSONIO.response(.ok, CartView(cart))
  }

  @Sendable func remove(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Order_V1_CartItemRequest()
    message.productID = context.parameters.get("product_id") ?? ""
    let cart = try await upstream.idempotent { try await $0.removeCartItem(message, options: $1) }
    return try JSONIO.response(.ok, CartView(cart))
  }

  @Sendable func clear(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    _ = try await upstream.idempotent { try await $0.clearCart(.init(), options: $1) }
    return JSONIO.noContent()
  }
}
