/// The orders a product search can come back in.
public enum SearchSort: String, Sendable, CaseIterable {
  case relevance
  case priceAscending = "price_asc"
  case priceDescending = "price_desc"
  case newest
}
