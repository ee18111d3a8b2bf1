import ShopContracts

/// Request bodies of the catalog routes; only these fields are read.
struct CreateCategoryBody: Decodable {
  var name: String
  var slug: String
  @Omissible var parentId: String?
}

struct MoneyBody: Codable {
  var amount: Int64
  var currency: String
}

struct CreateProductBody: Decodable {
  var sku: String
  var name: String
  @Omissible var description: String?
  var price: MoneyBody
  var categoryId: String
  @Omissible var initialStock: Int64?
  @Omissible var lowStockThreshold: Int64?
}

struct UpdateProductBody: Decodable {
  @Omissible var name: String?
  @Omissible var description: String?
  @Omissible var price: MoneyBody?
  @Omissible var categoryId: String?
  @Omissible var lowStockThreshold: Int64?
}

struct AdjustmentBody: Decodable {
  var delta: Int64
  var reason: String
}

/// Response bodies, written with snake_case keys.
struct CategoryView: Encodable {
  var id: String
  var name: String
  var slug: String
  var parentId: String?
  var children: [CategoryView]

  init(_ c: Shop_Product_V1_Category) {
    id = c.id
    name = c.name
    slug = c.slug
    parentId = c.hasParentID ? c.parentID : nil
    children = c.children.map(CategoryView.init)
  }

  enum CodingKeys: String, CodingKey {
    case id, name, slug, parentId, children
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(name, forKey: .name)
    try c.encode(slug, forKey: .slug)
    try c.encode(parentId, forKey: .parentId)
    try c.encode(children, forKey: .children)
  }
}

struct ProductView: Encodable {
  var id: String
  var sku: String
  var name: String
  var description: String
  var price: MoneyBody
  var categoryId: String
  var available: Int64
  var stockStatus: String
  var createdAt: String

  init(_ p: Shop_Product_V1_Product) {
    id = p.id
    sku = p.sku
    name = p.name
    description = p.description_p
    price = MoneyBody(amount: p.price.amount, currency: p.price.currency)
    categoryId = p.categoryID
    available = p.available
    stockStatus = p.stockStatus
    createdAt = p.createdAt
  }
}

struct StockLevelView: Encodable {
  var onHand: Int64
  var reserved: Int64
  var available: Int64
}

struct SearchView: Encodable {
  struct CategoryFacet: Encodable {
    var id: String
    var name: String
    var count: Int64
  }

  struct PriceRange: Encodable {
    var min: Int64
    var max: Int64?
    var count: Int64

    enum CodingKeys: String, CodingKey {
      case min, max, count
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(min, forKey: .min)
      try c.encode(max, forKey: .max)
      try c.encode(count, forKey: .count)
    }
  }

  struct Facets: Encodable {
    var categories: [CategoryFacet]
    var priceRanges: [PriceRange]
  }

  var items: [ProductView]
  var nextCursor: String?
  var facets: Facets

  init(_ r: Shop_Product_V1_SearchProductsResponse) {
    items = r.items.map(ProductView.init)
    nextCursor = r.nextCursor.isEmpty ? nil : r.nextCursor
    facets = Facets(
      categories: r.categoryFacets.map { CategoryFacet(id: $0.id, name: $0.name, count: $0.count) },
      priceRanges: r.priceFacets.map { PriceRange(min: $0.min, max: $0.hasMax ? $0.max : nil, count: $0.count) })
  }

  enum CodingKeys: String, CodingKey {
    case items, nextCursor, facets
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(items, forKey: .items)
    try c.encode(nextCursor, forKey: .nextCursor)
    try c.encode(facets, forKey: .facets)
  }
}

struct WaitlistEntryView: Encodable {
  var productId: String
  var createdAt: String
}
