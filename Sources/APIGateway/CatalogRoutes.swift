import Foundation
import GRPCCore
import Hummingbird
import ShopContracts
import ShopRPC

/// The "Catalog" routes of API.md, each translated into one product-service call. Writes
/// are for admins; the waitlist is the caller's own.
struct CatalogRoutes<Transport: ClientTransport>: Sendable {
  let upstream: Upstream<Shop_Product_V1_ProductService.Client<Transport>>
  let maxBodyBytes: Int
  let cache: ProductReadCache

  func add(to api: RouterGroup<GatewayRequestContext>, auth: BearerAuthMiddleware) {
    api.get("categories", use: categories)
    api.get("products", use: search)
    api.get("products/{id}", use: product)
    let authenticated = api.group().add(middleware: auth)
    authenticated.post("categories", use: createCategory)
    authenticated.post("products", use: createProduct)
    authenticated.patch("products/{id}", use: updateProduct)
    authenticated.post("products/{id}/inventory/adjustments", use: adjust)
    authenticated.post("products/{id}/waitlist", use: joinWaitlist)
    authenticated.delete("products/{id}/waitlist", use: leaveWaitlist)
    authenticated.get("users/me/waitlist", use: waitlist)
  }

  @Sendable func categories(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try await cache.read("cache:categories") {
      let list = try await upstream.idempotent { try await $0.listCategories(.init(), options: $1) }
      return try JSONIO.body(ListView(items: list.items.map(CategoryView.init), nextCursor: nil))
    }
  }

  @Sendable func createCategory(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    let body = try await JSONIO.decode(CreateCategoryBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Product_V1_CreateCategoryRequest()
    message.name = body.name
    message.slug = body.slug
    if let parent = body.parentId { message.parentID = parent }
    let category = try await upstream.once { try await $0.createCategory(message, options: $1) }
    return try JSONIO.response(.created, CategoryView(category))
  }

  @Sendable func search(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let query = request.uri.queryParameters
    var message = Shop_Product_V1_SearchProductsRequest()
    message.query = query["q"].map(String.init) ?? ""
    if let category = try QueryParameters.given(query["category"], "category") { message.categoryID = category }
    if let min = try QueryParameters.integer(query["min_price"], "min_price") { message.minPrice = min }
    if let max = try QueryParameters.integer(query["max_price"], "max_price") { message.maxPrice = max }
    message.inStock = try QueryParameters.boolean(query["in_stock"], "in_stock")
    message.sort = try QueryParameters.given(query["sort"], "sort") ?? ""
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let search = message
    return try await cache.read(ProductReadCache.searchKey(query.map { (String($0.key), String($0.value)) })) {
      let response = try await upstream.idempotent { try await $0.searchProducts(search, options: $1) }
      return try JSONIO.body(SearchView(response))
    }
  }

  @Sendable func product(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Product_V1_GetProductRequest()
    message.id = context.parameters.get("id") ?? ""
    let read = message
    return try await cache.read("cache:product:\(read.id)") {
      let product = try await upstream.idempotent { try await $0.getProduct(read, options: $1) }
      return try JSONIO.body(ProductView(product))
    }
  }

  @Sendable func createProduct(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    let body = try await JSONIO.decode(CreateProductBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Product_V1_CreateProductRequest()
    message.sku = body.sku
    message.name = body.name
    message.description_p = body.description ?? ""
    message.price = Self.money(body.price)
    message.categoryID = body.categoryId
    message.initialStock = body.initialStock ?? 0
    if let threshold = body.lowStockThreshold { message.lowStockThreshold = threshold }
    let product = try await upstream.once { try await $0.createProduct(message, options: $1) }
    return try JSONIO.response(.created, ProductView(product))
  }

  @Sendable func updateProduct(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    let body = try await JSONIO.decode(UpdateProductBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Product_V1_UpdateProductRequest()
    message.id = context.parameters.get("id") ?? ""
    if let name = body.name { message.name = name }
    if let description = body.description { message.description_p = description }
    if let price = body.price { message.price = Self.money(price) }
    if let category = body.categoryId { message.categoryID = category }
    if let threshold = body.lowStockThreshold { message.lowStockThreshold = threshold }
    let product = try await upstream.once { try await $0.updateProduct(message, options: $1) }
    return try JSONIO.response(.ok, ProductView(product))
  }

  @Sendable func adjust(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    try context.requireAdmin()
    let body = try await JSONIO.decode(AdjustmentBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Product_V1_AdjustInventoryRequest()
    message.productID = context.parameters.get("id") ?? ""
    message.delta = body.delta
    message.reason = body.reason
    let level = try await upstream.once { try await $0.adjustInventory(message, options: $1) }
    return try JSONIO.response(
      .ok, StockLevelView(onHand: level.onHand, reserved: level.reserved, available: level.available))
  }

  @Sendable func joinWaitlist(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Product_V1_WaitlistRequest()
    message.productID = context.parameters.get("id") ?? ""
    message.userID = try context.requireIdentity().userID
    let entry = try await upstream.once { try await $0.joinWaitlist(message, options: $1) }
    return try JSONIO.response(
      entry.created ? .created : .ok, WaitlistEntryView(productId: entry.productID, createdAt: entry.createdAt))
  }

  @Sendable func leaveWaitlist(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Product_V1_WaitlistRequest()
    message.productID = context.parameters.get("id") ?? ""
    message.userID = try context.requireIdentity().userID
    _ = try await upstream.once { try await $0.leaveWaitlist(message, options: $1) }
    return JSONIO.noContent()
  }

  @Sendable func waitlist(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Product_V1_ListWaitlistRequest()
    message.userID = try context.requireIdentity().userID
    let query = request.uri.queryParameters
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let list = try await upstream.idempotent { try await $0.listWaitlist(message, options: $1) }
    return try JSONIO.response(
      .ok,
      ListView(
        items: list.items.map { WaitlistEntryView(productId: $0.productID, createdAt: $0.createdAt) },
        nextCursor: list.nextCursor.isEmpty ? nil : list.nextCursor))
  }

  private static func money(_ body: MoneyBody) -> Shop_Product_V1_Money {
    var money = Shop_Product_V1_Money()
    money.amount = body.amount
    money.currency = body.currency
    return money
  }
}
