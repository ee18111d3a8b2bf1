import Foundation

/// The SQL of a product search, built from a ``ProductSearch`` with numbered parameters.
///
/// Matching is full-text (`websearch_to_tsquery`, name weighted over description), ranked by
/// `ts_rank`; a typo-tolerant search matches its corrected text the same way. The same
/// `matches` expression feeds the page and the facets.
struct SearchStatement {
  enum Value: Equatable {
    case text(String)
    case int(Int64)
    case uuid(UUID)
    case double(Double)
    case uuids([UUID])
  }

  private(set) var values: [Value] = []
  private let search: ProductSearch
  private let categories: [UUID]?

  /// Price facet buckets, in minor units: [0, 10), [10, 25), … dollars, and 500 and more.
  static let priceBounds: [Int64] = [0, 1000, 2500, 5000, 10000, 25000, 50000]

  /// - Parameter categories: when set, the search's category and its descendants, resolved
  ///   beforehand so that the planner sees the actual ids: a small category is then read
  ///   through the category index instead of walking the whole sort order for its few rows.
  init(_ search: ProductSearch, categories: [UUID]? = nil) {
    self.search = search
    self.categories = categories
  }

  private mutating func bind(_ value: Value) -> String {
    values.append(value)
    return "$\(values.count)"
  }

  /// `WITH … matches AS (…)`: the filtered rows with the given columns. Inventory is joined
  /// only to filter on stock, so that counting a large result reads products alone (and,
  /// for a category, only its index).
  private mutating func matches(_ columns: (_ rank: String) -> String) -> String {
    var ctes: [String] = []
    var joins = "FROM products p"
    var conditions: [String] = []
    var rank = "0::float8"
    if let categories { conditions.append("p.category_id = ANY(\(bind(.uuids(categories))))") }
    if let text = search.text {
      let t = bind(.text(search.correctedText ?? text))
      ctes.append("q AS (SELECT websearch_to_tsquery('english', \(t)) AS tsq)")
      joins += " CROSS JOIN q"
      conditions.append("p.search @@ q.tsq")
      rank = "ts_rank(p.search, q.tsq)::float8"
    }
    if let min = search.minPrice { conditions.append("p.price_amount >= \(bind(.int(min)))") }
    if let max = search.maxPrice { conditions.append("p.price_amount <= \(bind(.int(max)))") }
    if search.inStockOnly {
      joins += " JOIN inventory i ON i.product_id = p.id"
      conditions.append("i.on_hand - i.reserved > 0")
    }
    let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    ctes.append(
      """
      matches AS (
        SELECT \(columns(rank))
        \(joins)
        \(whereClause)
      )
      """)
    return "WITH " + ctes.joined(separator: ",\n")
  }

  /// One page: `limit + 1` rows, so that the caller knows whether another page follows.
  /// Stock is read for the page's rows only.
  mutating func pageSQL() -> String {
    let prefix = matches { rank in
      """
      p.id, p.sku, p.name, p.description, p.price_amount, p.currency, p.category_id, p.created_at,
          p.low_stock_threshold, \(rank) AS rank
      """
    }
    var keyset = ""
    // Row comparisons on indexed columns, so that a page reads its rows from an index
    // instead of sorting the whole result.
    if let after = search.after {
      let id = bind(.uuid(after.id))
      switch search.sort {
      case .relevance:
        let key = bind(.double(after.key))
        keyset = "WHERE (rank < \(key) OR (rank = \(key) AND id > \(id)))"
      case .priceAscending:
        keyset = "WHERE (price_amount, id) > (\(bind(.int(Int64(after.key)))), \(id))"
      case .priceDescending:
        keyset = "WHERE (price_amount, id) < (\(bind(.int(Int64(after.key)))), \(id))"
      case .newest:
        let micros = bind(.int(Int64(after.key)))
        keyset = "WHERE (created_at, id) < (timestamptz 'epoch' + \(micros) * interval '1 microsecond', \(id))"
      }
    }
    let order =
      switch search.sort {
      case .relevance: "rank DESC, id"
      case .priceAscending: "price_amount, id"
      case .priceDescending: "price_amount DESC, id DESC"
      case .newest: "created_at DESC, id DESC"
      }
    let limit = bind(.int(Int64(search.limit + 1)))
    return """
      \(prefix),
      page AS (SELECT * FROM matches \(keyset) ORDER BY \(order) LIMIT \(limit))
      SELECT page.id, sku, name, description, price_amount, currency, category_id, created_at, i.on_hand, i.reserved,
        low_stock_threshold, rank, (extract(epoch FROM created_at) * 1000000)::int8 AS created_us
      FROM page JOIN inventory i ON i.product_id = page.id ORDER BY \(order)
      """
  }

  /// Counts per category and per price bucket over every match (not just the page), in one
  /// pass over the matches.
  mutating func facetsSQL() -> String {
    let prefix = matches { _ in "p.category_id, p.price_amount" }
    let bounds = Self.priceBounds.dropFirst().map(String.init).joined(separator: ",")
    // A category row has no bucket and a price row no category: neither is ever null in a match.
    let bucket = "width_bucket(price_amount, ARRAY[\(bounds)]::int8[])"
    return """
      \(prefix),
      counts AS (
        SELECT category_id, \(bucket) AS bucket, count(*)::int8 AS n
        FROM matches GROUP BY GROUPING SETS ((category_id), (\(bucket)))
      )
      SELECT counts.category_id, c.name, counts.bucket, counts.n
      FROM counts LEFT JOIN categories c ON c.id = counts.category_id
      """
  }

  /// The sort value of a row, as its cursor carries it.
  static func cursorKey(sort: SearchSort, rank: Double, price: Int64, createdMicros: Int64) -> Double {
    switch sort {
    case .relevance: rank
    case .priceAscending, .priceDescending: Double(price)
    case .newest: Double(createdMicros)
    }
  }
}
