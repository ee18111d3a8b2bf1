import Foundation
import Logging
import PostgresNIO
import ShopPersistence

/// ``ProductStore`` on the service's own PostgreSQL database.
public struct PostgresProductStore: ProductStore {
  let client: PostgresClient
  let logger: Logger

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  // MARK: Categories

  public func categories() async throws -> [CategoryRecord] {
    let rows = try await client.query(
      "SELECT id, name, slug, parent_id FROM categories ORDER BY name, id", logger: logger)
    var result: [CategoryRecord] = []
    for try await (id, name, slug, parent) in rows.decode((UUID, String, String, UUID?).self) {
      result.append(CategoryRecord(id: id, name: name, slug: slug, parentID: parent))
    }
    return result
  }

  public func createCategory(_ category: CategoryRecord) async throws -> CategoryRecord {
    do {
      try await client.query(
        """
        INSERT INTO categories (id, name, slug, parent_id)
        VALUES (\(category.id), \(category.name), \(category.slug), \(category.parentID))
        """,
        logger: logger)
      return category
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
      throw ProductError.slugTaken
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
      throw ProductError.notFound("parent category")
    }
  }

  // MARK: Products

  private static let productColumns = """
    p.id, p.sku, p.name, p.description, p.price_amount, p.currency, p.category_id, p.created_at,
    i.on_hand, i.reserved, p.low_stock_threshold
    """

  private typealias ProductRow = (UUID, String, String, String, Int64, String, UUID, Date, Int64, Int64, Int64)

  private static func record(_ r: ProductRow) -> ProductRecord {
    ProductRecord(
      id: r.0, sku: r.1, name: r.2, description: r.3, priceAmount: r.4, currency: r.5, categoryID: r.6,
      createdAt: r.7, onHand: r.8, reserved: r.9, lowStockThreshold: r.10)
  }

  public func product(id: UUID) async throws -> ProductRecord? {
    let rows = try await client.query(
      """
      SELECT \(unescaped: Self.productColumns) FROM products p JOIN inventory i ON i.product_id = p.id
      WHERE p.id = \(id)
      """,
      logger: logger)
    for try await row in rows.decode(ProductRow.self) { return Self.record(row) }
    return nil
  }

  public func createProduct(_ product: ProductRecord, initialStock: Int64) async throws -> ProductRecord {
    do {
      return try await client.transaction(logger: logger) { tx in
        let rows = try await tx.query(
          """
          INSERT INTO products (id, sku, name, description, price_amount, currency, category_id, low_stock_threshold)
          VALUES (\(product.id), \(product.sku), \(product.name), \(product.description), \(product.priceAmount),
            \(product.currency), \(product.categoryID), \(product.lowStockThreshold))
          RETURNING created_at
          """,
          logger: logger)
        var created = Date()
        for try await date in rows.decode(Date.self) { created = date }
        try await tx.query(
          "INSERT INTO inventory (product_id, on_hand) VALUES (\(product.id), \(initialStock))", logger: logger)
        var result = product
        result.createdAt = created
        result.onHand = initialStock
        result.reserved = 0
        return result
      }
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
      throw ProductError.skuTaken
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
      throw ProductError.notFound("category")
    }
  }

  public func updateProduct(
    id: UUID, name: String?, description: String?, price: (Int64, String)?, categoryID: UUID?,
    lowStockThreshold: Int64?
  ) async throws -> ProductRecord? {
    do {
      try await client.query(
        """
        UPDATE products SET name = COALESCE(\(name), name), description = COALESCE(\(description), description),
          price_amount = COALESCE(\(price?.0), price_amount), currency = COALESCE(\(price?.1), currency),
          category_id = COALESCE(\(categoryID), category_id),
          low_stock_threshold = COALESCE(\(lowStockThreshold), low_stock_threshold), updated_at = now()
        WHERE id = \(id)
        """,
        logger: logger)
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
      throw ProductError.notFound("category")
    }
    return try await product(id: id)
  }

  // MARK: Search

  public func correctSpelling(_ text: String) async throws -> String {
    let rows = try await client.query(
      """
      SELECT coalesce(string_agg(t.m[1] || coalesce(best.word, t.m[2]), '' ORDER BY t.n), '')
      FROM regexp_matches(\(text), '([^[:alnum:]]*)([[:alnum:]]*)', 'g') WITH ORDINALITY AS t(m, n)
      LEFT JOIN LATERAL (
        SELECT s.word FROM search_words s
        WHERE length(t.m[2]) >= 3 AND s.products > 0 AND s.word % lower(t.m[2])
        ORDER BY similarity(s.word, lower(t.m[2])) DESC, s.word LIMIT 1
      ) best ON true
      """,
      logger: logger)
    for try await corrected in rows.decode(String.self) { return corrected }
    return text
  }

  public func categoryScope(of id: UUID) async throws -> [UUID] {
    let rows = try await client.query(
      """
      WITH RECURSIVE scope AS (
        SELECT id FROM categories WHERE id = \(id)
        UNION ALL SELECT c.id FROM categories c JOIN scope s ON c.parent_id = s.id
      )
      SELECT id FROM scope
      """,
      logger: logger)
    var ids: [UUID] = []
    for try await id in rows.decode(UUID.self) { ids.append(id) }
    return ids
  }

  public func searchPage(_ search: ProductSearch, categories: [UUID]?) async throws
    -> (items: [ProductRecord], next: SearchCursor?)
  {
    var pageStatement = SearchStatement(search, categories: categories)
    let pageSQL = pageStatement.pageSQL()
    var items: [ProductRecord] = []
    var lastKey: (Double, UUID)?
    var more = false
    let rows = try await client.query(Self.query(pageSQL, pageStatement.values), logger: logger)
    for try await row in rows.decode(
      (UUID, String, String, String, Int64, String, UUID, Date, Int64, Int64, Int64, Double, Int64).self)
    {
      if items.count == search.limit {
        // The query asks for one row more than a page: its presence means another page.
        more = true
        break
      }
      items.append(Self.record((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10)))
      lastKey = (SearchStatement.cursorKey(sort: search.sort, rank: row.11, price: row.4, createdMicros: row.12), row.0)
    }
    var next: SearchCursor?
    if more, let (key, id) = lastKey {
      next = SearchCursor(
        sort: search.sort, key: key, id: id, queryHash: ProductSearch.queryHash(search.text),
        typoTolerant: search.typoTolerant)
    }
    return (items, next)
  }

  public func searchFacets(_ search: ProductSearch, categories: [UUID]?) async throws -> SearchFacets {
    var facetStatement = SearchStatement(search, categories: categories)
    let facetSQL = facetStatement.facetsSQL()
    var categories: [SearchPage.CategoryCount] = []
    var prices: [SearchPage.PriceRangeCount] = []
    let facetRows = try await client.query(Self.query(facetSQL, facetStatement.values), logger: logger)
    for try await (categoryID, name, bucket, count) in facetRows.decode((UUID?, String?, Int32?, Int64).self) {
      if let categoryID, let name {
        categories.append(.init(id: categoryID, name: name, count: count))
      } else if let bucket {
        let bounds = SearchStatement.priceBounds
        let index = Int(bucket)
        prices.append(.init(min: bounds[index], max: index + 1 < bounds.count ? bounds[index + 1] : nil, count: count))
      }
    }
    categories.sort { ($0.count, $1.name) > ($1.count, $0.name) }
    prices.sort { $0.min < $1.min }
    return SearchFacets(categories: categories, priceRanges: prices)
  }

  private static func query(_ sql: String, _ values: [SearchStatement.Value]) -> PostgresQuery {
    var bindings = PostgresBindings(capacity: values.count)
    for value in values {
      switch value {
      case .text(let s): bindings.append(s)
      case .int(let i): bindings.append(i)
      case .uuid(let u): bindings.append(u)
      case .double(let d): bindings.append(d)
      case .uuids(let u): bindings.append(u)
      }
    }
    return PostgresQuery(unsafeSQL: sql, binds: bindings)
  }
}
