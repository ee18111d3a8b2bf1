import Foundation
import ShopContracts
import ShopRPC

/// The product service's rules: what a valid category, product, adjustment or reservation
/// is. Transport-free; the gRPC layer adapts it.
public struct ProductCatalog<Store: ProductStore>: Sendable {
  let store: Store
  let facetCache: FacetCache
  public static var maximumReservationLines: Int { 100 }

  /// - Parameter facetTTL: how long the facets of one filter set are reused; pages of a
  ///   result and repeated browsing then count the result once.
  public init(store: Store, facetTTL: Duration = .seconds(5)) {
    self.store = store
    self.facetCache = FacetCache(ttl: facetTTL)
  }

  /// The category tree: roots with their children, by name.
  public func categoryTree() async throws -> [CategoryNode] {
    let all = try await store.categories()
    let byParent = Dictionary(grouping: all, by: \.parentID)
    func node(_ record: CategoryRecord) -> CategoryNode {
      CategoryNode(record: record, children: (byParent[record.id] ?? []).map(node))
    }
    return (byParent[nil] ?? []).map(node)
  }

  private static func page(
    _ known: (items: [ProductRecord], next: SearchCursor?)?, store: Store, search: ProductSearch,
    categories: [UUID]?
  ) async throws -> (items: [ProductRecord], next: SearchCursor?) {
    if let known { return known }
    return try await store.searchPage(search, categories: categories)
  }

  public func createCategory(name rawName: String, slug: String, parentID: String?) async throws
    -> CategoryRecord
  {
    var violations = CatalogRules.textViolations(["name": (rawName, CatalogRules.categoryName)])
    if !CatalogRules.isSlug(slug) {
      violations.append(.init(field: "slug", reason: "must be 1 to 100 lowercase letters, digits or dashes"))
    }
    var parent: UUID?
    if let parentID {
      guard let id = UUID(uuidString: parentID) else { throw ProductError.invalid("parent_id", "is not a category id") }
      parent = id
    }
    guard violations.isEmpty else { throw ProductError.validationFailed(violations) }
    let record = CategoryRecord(id: UUID(), name: rawName.trimmingWhiteSpace(), slug: slug, parentID: parent)
    return try await store.createCategory(record)
  }

  /// A page of results with the facets of the whole result. Text that matches nothing as it
  /// is, is searched again with each word corrected to the catalog's most similar one, so that
  /// a misspelt query still finds its products.
  public func search(_ request: ProductSearch) async throws -> SearchPage {
    var search = request
    let categories: [UUID]? =
      if let category = search.categoryID { try await store.categoryScope(of: category) } else { nil }
    var firstPage: (items: [ProductRecord], next: SearchCursor?)?
    if search.text != nil, search.after == nil, !search.typoTolerant {
      let exact = try await store.searchPage(search, categories: categories)
      if exact.items.isEmpty {
        search.typoTolerant = true
      } else {
        firstPage = exact
      }
    }
    if search.typoTolerant, search.correctedText == nil, let text = search.text {
      search.correctedText = try await store.correctSpelling(text)
    }
    let searched = search
    async let page = Self.page(firstPage, store: store, search: searched, categories: categories)
    let key = FacetCache.Key(search)
    let facets: SearchFacets
    if let cached = facetCache.get(key) {
      facets = cached
    } else {
      facets = try await store.searchFacets(search, categories: categories)
      facetCache.put(key, facets)
    }
    let (items, next) = try await page
    return SearchPage(items: items, nextCursor: next, facets: facets)
  }

  public func product(id: String) async throws -> ProductRecord {
    guard let uuid = UUID(uuidString: id), let product = try await store.product(id: uuid) else {
      throw ProductError.notFound("product")
    }
    return product
  }

  public func createProduct(
    sku: String, name rawName: String, description: String, priceAmount: Int64, currency: String,
    categoryID: String, initialStock: Int64, lowStockThreshold: Int64? = nil
  ) async throws -> ProductRecord {
    var violations = CatalogRules.textViolations([
      "name": (rawName, CatalogRules.productName), "description": (description, CatalogRules.productDescription),
    ])
    if !CatalogRules.isSKU(sku) {
      violations.append(.init(field: "sku", reason: "must be 1 to 64 characters without spaces"))
    }
    violations += CatalogRules.priceViolations(priceAmount, currency)
    if !(0...CatalogRules.maximumQuantity).contains(initialStock) {
      violations.append(.init(field: "initial_stock", reason: "must be between 0 and \(CatalogRules.maximumQuantity)"))
    }
    violations += CatalogRules.thresholdViolations(lowStockThreshold)
    let category = UUID(uuidString: categoryID)
    if category == nil { violations.append(.init(field: "category_id", reason: "is not a category id")) }
    guard violations.isEmpty, let category else { throw ProductError.validationFailed(violations) }
    let record = ProductRecord(
      id: UUID(), sku: sku, name: rawName.trimmingWhiteSpace(), description: description, priceAmount: priceAmount,
      currency: currency.uppercased(), categoryID: category, createdAt: Date(), onHand: initialStock, reserved: 0,
      lowStockThreshold: lowStockThreshold ?? Self.defaultLowStockThreshold)
    return try await store.createProduct(record, initialStock: initialStock)
  }

  public func updateProduct(
    id: String, name: String?, description: String?, price: (Int64, String)?, categoryID: String?,
    lowStockThreshold: Int64? = nil
  ) async throws -> ProductRecord {
    guard let uuid = UUID(uuidString: id) else { throw ProductError.notFound("product") }
    var violations = CatalogRules.textViolations([
      "name": name.map { ($0, CatalogRules.productName) },
      "description": description.map { ($0, CatalogRules.productDescription) },
    ])
    let trimmedName = name?.trimmingWhiteSpace()
    if let (amount, currency) = price { violations += CatalogRules.priceViolations(amount, currency) }
    violations += CatalogRules.thresholdViolations(lowStockThreshold)
    var category: UUID?
    if let categoryID {
      category = UUID(uuidString: categoryID)
      if category == nil { violations.append(.init(field: "category_id", reason: "is not a category id")) }
    }
    guard violations.isEmpty else { throw ProductError.validationFailed(violations) }
    guard
      let product = try await store.updateProduct(
        id: uuid, name: trimmedName, description: description, price: price.map { ($0.0, $0.1.uppercased()) },
        categoryID: category, lowStockThreshold: lowStockThreshold)
    else { throw ProductError.notFound("product") }
    return product
  }

  public func adjustStock(productID: String, delta: Int64, reason: String) async throws -> StockLevel {
    guard let id = UUID(uuidString: productID) else { throw ProductError.notFound("product") }
    let limit = CatalogRules.maximumQuantity
    var violations = CatalogRules.textViolations(["reason": (reason, CatalogRules.adjustmentReason)])
    if delta == 0 || !(-limit...limit).contains(delta) {
      violations.append(.init(field: "delta", reason: "must be between -\(limit) and \(limit), not zero"))
    }
    let trimmed = reason.trimmingWhiteSpace()
    guard violations.isEmpty else { throw ProductError.validationFailed(violations) }
    return try await store.adjustStock(productID: id, delta: delta, reason: trimmed)
  }

  public func reserve(orderID: String, lines: [(String, Int64)], ttl: Duration) async throws -> (
    ReservationStatus, Date
  ) {
    guard let order = UUID(uuidString: orderID) else { throw ProductError.invalid("order_id", "is not an order id") }
    guard !lines.isEmpty, lines.count <= Self.maximumReservationLines else {
      throw ProductError.invalid("lines", "must have 1 to \(Self.maximumReservationLines) lines")
    }
    var parsed: [(UUID, Int64)] = []
    var seen: Set<UUID> = []
    for (index, (product, quantity)) in lines.enumerated() {
      guard let id = UUID(uuidString: product) else {
        throw ProductError.invalid("lines.\(index).product_id", "is not a product id")
      }
      guard quantity > 0, quantity <= 10_000 else {
        throw ProductError.invalid("lines.\(index).quantity", "must be between 1 and 10000")
      }
      guard seen.insert(id).inserted else { throw ProductError.invalid("lines.\(index).product_id", "appears twice") }
      parsed.append((id, quantity))
    }
    guard ttl > .zero, ttl <= .seconds(24 * 3600) else { throw ProductError.invalid("ttl", "must be up to a day") }
    let expiresAt = Date().addingTimeInterval(TimeInterval(ttl.components.seconds))
    return try await store.reserve(orderID: order, lines: parsed, expiresAt: expiresAt)
  }

  public func commit(orderID: String) async throws -> ReservationStatus {
    guard let order = UUID(uuidString: orderID) else { throw ProductError.notFound("reservation") }
    return try await store.commit(orderID: order)
  }

  public func release(orderID: String) async throws -> ReservationStatus {
    guard let order = UUID(uuidString: orderID) else { throw ProductError.notFound("reservation") }
    return try await store.release(orderID: order)
  }

  public func restock(orderID: String) async throws -> ReservationStatus {
    guard let order = UUID(uuidString: orderID) else { throw ProductError.notFound("reservation") }
    return try await store.restock(orderID: order)
  }

  public func joinWaitlist(productID: String, userID: String) async throws -> (Bool, Date) {
    guard let product = UUID(uuidString: productID), let user = UUID(uuidString: userID) else {
      throw ProductError.notFound("product")
    }
    return try await store.joinWaitlist(productID: product, userID: user)
  }

  public func leaveWaitlist(productID: String, userID: String) async throws {
    guard let product = UUID(uuidString: productID), let user = UUID(uuidString: userID) else {
      throw ProductError.notFound("product")
    }
    try await store.leaveWaitlist(productID: product, userID: user)
  }

  /// A page of the customer's waitlist: `limit` 1 to 100 (20 when nil), `cursor` from the page before.
  public func waitlist(userID: String, limit: Int?, cursor: String?) async throws
    -> (entries: [(UUID, Date)], next: WaitlistCursor?)
  {
    guard let user = UUID(uuidString: userID) else { throw ProductError.notFound("user") }
    let limit = limit ?? ProductSearch.defaultLimit
    let violations = ProductSearch.limitViolations(limit)
    guard violations.isEmpty else { throw ProductError.validationFailed(violations) }
    let after = try cursor.flatMap { $0.isEmpty ? nil : try WaitlistCursor(encoded: $0) }
    return try await store.waitlist(userID: user, after: after, limit: limit)
  }

  /// Where `stock_status` turns `low_stock` when a product is created without its own.
  public static var defaultLowStockThreshold: Int64 { 5 }

}

/// A category with its subcategories.
public struct CategoryNode: Sendable, Equatable {
  public var record: CategoryRecord
  public var children: [CategoryNode]
}
