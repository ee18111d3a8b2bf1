import Foundation
import GRPCCore
import ShopContracts
import ShopRPC

/// The gRPC face of ``ProductCatalog``: translates messages, nothing more.
struct ProductRPCService<Store: ProductStore>: Shop_Product_V1_ProductService.SimpleServiceProtocol {
  let catalog: ProductCatalog<Store>

  func listCategories(
    request: Shop_Product_V1_ListCategoriesRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_CategoryList {
    var list = Shop_Product_V1_CategoryList()
    list.items = try await catalog.categoryTree().map(Shop_Product_V1_Category.init)
    return list
  }

  func createCategory(
    request: Shop_Product_V1_CreateCategoryRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_Category {
    let record = try await catalog.createCategory(
      name: request.name, slug: request.slug, parentID: request.hasParentID ? request.parentID : nil)
    return .init(CategoryNode(record: record, children: []))
  }

  func searchProducts(
    request: Shop_Product_V1_SearchProductsRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_SearchProductsResponse {
    let search = try ProductSearch(
      text: request.query, categoryID: request.hasCategoryID ? request.categoryID : nil,
      minPrice: request.hasMinPrice ? request.minPrice : nil, maxPrice: request.hasMaxPrice ? request.maxPrice : nil,
      inStockOnly: request.inStock, sort: request.sort, limit: request.limit == 0 ? nil : Int(request.limit),
      cursor: request.cursor)
    let page = try await catalog.search(search)
    var response = Shop_Product_V1_SearchProductsResponse()
    response.items = page.items.map(Shop_Product_V1_Product.init)
    response.nextCursor = page.nextCursor?.encoded ?? ""
    response.categoryFacets = page.facets.categories.map { facet in
      var f = Shop_Product_V1_CategoryFacet()
      f.id = facet.id.uuidString.lowercased()
      f.name = facet.name
      f.count = facet.count
      return f
    }
    response.priceFacets = page.facets.priceRanges.map { range in
      var f = Shop_Product_V1_PriceRangeFacet()
      f.min = range.min
      if let max = range.max { f.max = max }
      f.count = range.count
      return f
    }
    return response
  }

  func getProduct(request: Shop_Product_V1_GetProductRequest, context: ServerContext) async throws
    -> Shop_Product_V1_Product
  {
    .init(try await catalog.product(id: request.id))
  }

  func createProduct(
    request: Shop_Product_V1_CreateProductRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_Product {
    .init(
      try await catalog.createProduct(
        sku: request.sku, name: request.name, description: request.description_p, priceAmount: request.price.amount,
        currency: request.price.currency, categoryID: request.categoryID, initialStock: request.initialStock,
        lowStockThreshold: request.hasLowStockThreshold ? request.lowStockThreshold : nil))
  }

  func updateProduct(
    request: Shop_Product_V1_UpdateProductRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_Product {
    .init(
      try await catalog.updateProduct(
        id: request.id, name: request.hasName ? request.name : nil,
        description: request.hasDescription_p ? request.description_p : nil,
        price: request.hasPrice ? (request.price.amount, request.price.currency) : nil,
        categoryID: request.hasCategoryID ? request.categoryID : nil,
        lowStockThreshold: request.hasLowStockThreshold ? request.lowStockThreshold : nil))
  }

  func adjustInventory(
    request: Shop_Product_V1_AdjustInventoryRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_StockLevel {
    .init(try await catalog.adjustStock(productID: request.productID, delta: request.delta, reason: request.reason))
  }

  func reserve(request: Shop_Product_V1_ReserveRequest, context: ServerContext) async throws
    -> Shop_Product_V1_ReserveResponse
  {
    let ttl = request.ttlSeconds == 0 ? Duration.seconds(900) : .seconds(Int64(request.ttlSeconds))
    let (status, expiresAt) = try await catalog.reserve(
      orderID: request.orderID, lines: request.lines.map { ($0.productID, $0.quantity) }, ttl: ttl)
    var response = Shop_Product_V1_ReserveResponse()
    response.status = status.rawValue
    response.expiresAt = expiresAt.rfc3339
    return response
  }

  func commit(
    request: Shop_Product_V1_OrderReservationRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_ReservationState {
    var state = Shop_Product_V1_ReservationState()
    state.status = try await catalog.commit(orderID: request.orderID).rawValue
    return state
  }

  func release(
    request: Shop_Product_V1_OrderReservationRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_ReservationState {
    var state = Shop_Product_V1_ReservationState()
    state.status = try await catalog.release(orderID: request.orderID).rawValue
    return state
  }

  func restock(
    request: Shop_Product_V1_OrderReservationRequest, context: ServerContext
  ) async throws -> Shop_Product_V1_ReservationState {
    var state = Shop_Product_V1_ReservationState()
    state.status = try await catalog.restock(orderID: request.orderID).rawValue
    return state
  }

  func joinWaitlist(request: Shop_Product_V1_WaitlistRequest, context: ServerContext) async throws
    -> Shop_Product_V1_WaitlistEntry
  {
    let user = try RPCCaller.subject(requested: request.userID)
    let (created, at) = try await catalog.joinWaitlist(productID: request.productID, userID: user)
    return .init(productID: request.productID, userID: user, createdAt: at, created: created)
  }

  func leaveWaitlist(request: Shop_Product_V1_WaitlistRequest, context: ServerContext) async throws
    -> Shop_Product_V1_WaitlistEntry
  {
    let user = try RPCCaller.subject(requested: request.userID)
    try await catalog.leaveWaitlist(productID: request.productID, userID: user)
    var entry = Shop_Product_V1_WaitlistEntry()
    entry.productID = request.productID
    entry.userID = user
    return entry
  }

  func listWaitlist(request: Shop_Product_V1_ListWaitlistRequest, context: ServerContext) async throws
    -> Shop_Product_V1_WaitlistList
  {
    let user = try RPCCaller.subject(requested: request.userID)
    let page = try await catalog.waitlist(
      userID: user, limit: request.limit == 0 ? nil : Int(request.limit), cursor: request.cursor)
    var list = Shop_Product_V1_WaitlistList()
    list.items = page.entries.map {
      .init(productID: $0.0.uuidString.lowercased(), userID: user, createdAt: $0.1, created: false)
    }
    list.nextCursor = page.next?.encoded ?? ""
    return list
  }
}

extension Shop_Product_V1_Category {
  init(_ node: CategoryNode) {
    self.init()
    id = node.record.id.uuidString.lowercased()
    name = node.record.name
    slug = node.record.slug
    if let parent = node.record.parentID { parentID = parent.uuidString.lowercased() }
    children = node.children.map(Shop_Product_V1_Category.init)
  }
}

extension Shop_Product_V1_Product {
  init(_ p: ProductRecord) {
    self.init()
    id = p.id.uuidString.lowercased()
    sku = p.sku
    name = p.name
    description_p = p.description
    var money = Shop_Product_V1_Money()
    money.amount = p.priceAmount
    money.currency = p.currency
    price = money
    categoryID = p.categoryID.uuidString.lowercased()
    available = max(p.available, 0)
    stockStatus = p.stockStatus.rawValue
    createdAt = p.createdAt.rfc3339
  }
}

extension Shop_Product_V1_StockLevel {
  init(_ level: StockLevel) {
    self.init()
    onHand = level.onHand
    reserved = level.reserved
    available = level.available
  }
}

extension Shop_Product_V1_WaitlistEntry {
  init(productID: String, userID: String, createdAt: Date, created: Bool) {
    self.init()
    self.productID = productID.lowercased()
    self.userID = userID.lowercased()
    self.createdAt = createdAt.rfc3339
    self.created = created
  }
}
