import NIOHTTP1

/// What the virtual users know of the shop before they start: the categories, products to
/// look at and put in carts, and words to search for. Read once, through the API.
struct Catalog: Sendable {
  var categoryIDs: [String]
  var productIDs: [String]
  var searchTerms: [String]

  /// Reads the category tree and up to `limit` products (in stock first).
  static func load(through api: ShopAPI, token: String, limit: Int = 300) async throws(TrafficError) -> Catalog {
    let tree = await api.call(nil, .GET, "/categories", token: token)
    guard tree.isSuccess else { throw TrafficError(.setupFailed, "reading the categories answered \(tree.status)") }
    var categoryIDs: [String] = []
    var open = tree.json["items"] as? [[String: Any]] ?? []
    while let node = open.popLast() {
      if let id = node["id"] as? String { categoryIDs.append(id) }
      open += node["children"] as? [[String: Any]] ?? []
    }
    var products: [[String: Any]] = []
    var cursor: String? = nil
    repeat {
      let page = await api.call(
        nil, .GET, "/products?in_stock=true&limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
      guard page.isSuccess else { throw TrafficError(.setupFailed, "reading the products answered \(page.status)") }
      products += page.json["items"] as? [[String: Any]] ?? []
      cursor = page.json["next_cursor"] as? String
    } while cursor != nil && products.count < limit
    let sold = inShopCurrency(products)
    guard !sold.isEmpty else {
      throw TrafficError(.setupFailed, "the catalog has no product in stock: run shop seed")
    }
    let names = sold.compactMap { $0["name"] as? String }
    return Catalog(
      categoryIDs: categoryIDs, productIDs: sold.compactMap { $0["id"] as? String }, searchTerms: searchTerms(in: names)
    )
  }

  /// The products priced in the catalog's most common currency: one order is paid in one
  /// currency, so a customer who filled a cart across currencies could not check out.
  static func inShopCurrency(_ products: [[String: Any]]) -> [[String: Any]] {
    func currency(_ product: [String: Any]) -> String? { (product["price"] as? [String: Any])?["currency"] as? String }
    var counts: [String: Int] = [:]
    for product in products { if let currency = currency(product) { counts[currency, default: 0] += 1 } }
    guard let shop = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else { return [] }
    return products.filter { currency($0) == shop }
  }

  /// The distinct words of four letters or more in the product names, lower-cased.
  static func searchTerms(in names: [String]) -> [String] {
    var seen: Set<String> = []
    var terms: [String] = []
    for name in names {
      for word in name.lowercased().split(whereSeparator: { !$0.isLetter }) where word.count >= 4 {
        if seen.insert(String(word)).inserted { terms.append(String(word)) }
      }
    }
    return terms
  }
}
