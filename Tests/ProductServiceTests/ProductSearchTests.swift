import Foundation
import ShopContracts
import Testing

@testable import ProductService

@Suite struct ProductSearchTests {
  func search(
    q: String? = nil, category: String? = nil, min: Int64? = nil, max: Int64? = nil, sort: String? = nil,
    limit: Int? = nil, cursor: String? = nil, inStock: Bool = false
  ) throws -> ProductSearch {
    try ProductSearch(
      text: q, categoryID: category, minPrice: min, maxPrice: max, inStockOnly: inStock, sort: sort, limit: limit,
      cursor: cursor)
  }

  @Test func sortsByRelevanceWithTextAndNewestWithout() throws {
    #expect(try search(q: "lamp").sort == .relevance)
    #expect(try search().sort == .newest)
    #expect(try search(q: "  ").text == nil)
    // Without text every product is as relevant as the next: newest first, and a valid query.
    #expect(try search(sort: "relevance").sort == .newest)
  }

  /// Crossed bounds are a range nothing falls in, not a malformed query.
  @Test func crossedPriceBoundsAreValid() throws {
    let crossed = try search(min: 500, max: 100)
    #expect(crossed.minPrice == 500 && crossed.maxPrice == 100)
  }

  @Test func refusesBadParameters() {
    #expect(throws: ProductError.self) { try search(limit: 101) }
    #expect(throws: ProductError.self) { try search(limit: 0) }
    #expect(throws: ProductError.self) { try search(min: -1) }
    #expect(throws: ProductError.self) { try search(max: CatalogRules.maximumPrice + 1) }
    #expect(throws: ProductError.self) { try search(q: "lamp\u{0}") }
    #expect(throws: ProductError.self) { try search(q: String(repeating: "a", count: 201)) }
    #expect(throws: ProductError.self) { try search(sort: "cheapest") }
    #expect(throws: ProductError.self) { try search(category: "not-a-uuid") }
  }

  @Test func cursorsRoundTripAndBelongToTheirQuery() throws {
    let id = UUID()
    let cursor = SearchCursor(sort: .relevance, key: 0.123456789, id: id, queryHash: ProductSearch.queryHash("lamp"))
    let decoded = try SearchCursor(encoded: cursor.encoded)
    #expect(decoded == cursor)
    #expect(!cursor.encoded.contains("="))
    #expect(try search(q: "lamp", cursor: cursor.encoded).after == cursor)
    #expect(throws: ProductError.invalidCursor) { try search(q: "chair", cursor: cursor.encoded) }
    #expect(throws: ProductError.invalidCursor) { try search(q: "lamp", sort: "price_asc", cursor: cursor.encoded) }
    #expect(throws: ProductError.invalidCursor) { try search(cursor: "garbage!!") }
    // A cursor that names what to search for is forged, even for its own query.
    let forged = OpaqueCursor.encode(Forged(s: .relevance, k: 0.5, i: id, q: ProductSearch.queryHash("lamp"), c: "x"))
    #expect(throws: ProductError.invalidCursor) { try search(q: "lamp", cursor: forged) }
  }

  @Test func statementBindsEveryValueAndUsesTheKeyset() throws {
    let category = UUID()
    let child = UUID()
    let cursor = SearchCursor(sort: .priceAscending, key: 1999, id: UUID(), queryHash: ProductSearch.queryHash("desk"))
    var statement = SearchStatement(
      try search(
        q: "desk", category: category.uuidString, min: 100, max: 5000, sort: "price_asc", cursor: cursor.encoded),
      categories: [category, child])
    let sql = statement.pageSQL()
    #expect(sql.contains("p.category_id = ANY($1)"), "the category's resolved scope, as one bound array")
    #expect(sql.contains("websearch_to_tsquery('english', $2)"))
    #expect(sql.contains("p.search @@ q.tsq"))
    #expect(sql.contains("(price_amount, id) > ($6, $5)"))
    #expect(sql.contains("ORDER BY price_amount, id LIMIT $7"))
    #expect(!sql.contains("desk"), "values are bound, never spliced into the SQL")
    #expect(
      statement.values == [
        .uuids([category, child]), .text("desk"), .int(100), .int(5000), .uuid(cursor.id), .int(1999), .int(21),
      ])
  }

  @Test func typoTolerantSearchMatchesItsCorrectedText() throws {
    let cursor = SearchCursor(
      sort: .relevance, key: 0.75, id: UUID(), queryHash: ProductSearch.queryHash("lantrn"), typoTolerant: true)
    var typo = try search(q: "lantrn", cursor: cursor.encoded)
    #expect(typo.typoTolerant && typo.correctedText == nil, "the cursor carries how its result matched, not what")
    typo.correctedText = "lantern"
    var statement = SearchStatement(typo)
    let sql = statement.pageSQL()
    #expect(sql.contains("p.search @@ q.tsq") && sql.contains("ts_rank(p.search, q.tsq)::float8 AS rank"))
    #expect(sql.contains("WHERE (rank < $3 OR (rank = $3 AND id > $2))"))
    #expect(sql.contains("ORDER BY rank DESC, id LIMIT $4"))
    #expect(statement.values == [.text("lantern"), .uuid(cursor.id), .double(0.75), .int(21)])
  }

  @Test func newestKeysetStartsBeforeTheLastRowShown() throws {
    let cursor = SearchCursor(
      sort: .newest, key: 1_700_000_000_000_000, id: UUID(), queryHash: ProductSearch.queryHash(nil))
    var statement = SearchStatement(try search(cursor: cursor.encoded))
    let sql = statement.pageSQL()
    #expect(sql.contains("(created_at, id) < (timestamptz 'epoch' + $2 * interval '1 microsecond', $1)"))
    #expect(sql.contains("ORDER BY created_at DESC, id DESC LIMIT $3"))
    #expect(!sql.contains("ts_rank") && !sql.contains("websearch_to_tsquery"), "no text, no matching on it")
  }

  @Test func stockIsReadForThePageOnlyUnlessItFilters() throws {
    var browse = SearchStatement(try search(sort: "price_desc"))
    let page = browse.pageSQL()
    #expect(!page.contains("JOIN inventory i ON i.product_id = p.id"), "the matches are read without stock")
    #expect(page.contains("FROM page JOIN inventory i ON i.product_id = page.id"))
    var facets = SearchStatement(try search(sort: "price_desc"))
    #expect(!facets.facetsSQL().contains("inventory"))

    var inStock = SearchStatement(try search(inStock: true))
    let filtered = inStock.facetsSQL()
    #expect(
      filtered.contains("JOIN inventory i ON i.product_id = p.id") && filtered.contains("i.on_hand - i.reserved > 0"))
  }

  @Test func facetsCountCategoriesAndPriceBucketsInOnePass() throws {
    var statement = SearchStatement(try search(q: "lamp", min: 500))
    let sql = statement.facetsSQL()
    #expect(
      sql.contains(
        "GROUP BY GROUPING SETS ((category_id), (width_bucket(price_amount, ARRAY[1000,2500,5000,10000,25000,50000]::int8[])))"
      ))
    #expect(sql.components(separatedBy: "FROM matches").count == 2, "the matches are read once")
    #expect(statement.values == [.text("lamp"), .int(500)])
  }

  @Test func stockStatusFollowsTheThreshold() {
    #expect(StockStatus(available: 0, threshold: 5) == .outOfStock)
    #expect(StockStatus(available: 5, threshold: 5) == .lowStock)
    #expect(StockStatus(available: 6, threshold: 5) == .inStock)
  }

  /// A search cursor with a field that is not a position.
  struct Forged: Encodable {
    let s: SearchSort
    let k: Double
    let i: UUID
    let q: UInt32
    let c: String
  }
}
