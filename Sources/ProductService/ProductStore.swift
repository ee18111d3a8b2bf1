import Foundation

/// A page of search results with the facets of the whole result.
public struct SearchPage: Sendable, Equatable {
  public struct CategoryCount: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var count: Int64
  }

  public struct PriceRangeCount: Sendable, Equatable {
    public var min: Int64
    public var max: Int64?
    public var count: Int64
  }

  public var items: [ProductRecord]
  public var nextCursor: SearchCursor?
  public var facets: SearchFacets
}

/// Counts per category and per price range over a whole search result.
public struct SearchFacets: Sendable, Equatable {
  public var categories: [SearchPage.CategoryCount]
  public var priceRanges: [SearchPage.PriceRangeCount]
}

/// How a reservation stands.
public enum ReservationStatus: String, Sendable, Equatable {
  case held
  case committed
  case released
  /// Sold, then given back: the order was cancelled after payment.
  case returned
}

/// The product service's storage. PostgreSQL is the real one; the protocol keeps the engine
/// replaceable (a search engine could serve `search`).
public protocol ProductStore: Sendable {
  func categories() async throws -> [CategoryRecord]
  /// Throws `ProductError.slugTaken` or `.notFound` for an unknown parent.
  func createCategory(_ category: CategoryRecord) async throws -> CategoryRecord

  /// `text` with each word of three or more characters replaced by the most similar word that
  /// products' names and descriptions use (itself when one does, unchanged when none is
  /// similar). Everything between words is kept, so quotes, `-` and `or` keep their meaning.
  func correctSpelling(_ text: String) async throws -> String
  /// A category and all its descendants; empty for an unknown category.
  func categoryScope(of id: UUID) async throws -> [UUID]
  /// One page of matches and where the next starts. `categories`, when set, is the scope of
  /// the search's category (``categoryScope(of:)``), and matches must be in it.
  func searchPage(_ search: ProductSearch, categories: [UUID]?) async throws
    -> (items: [ProductRecord], next: SearchCursor?)
  /// Counts per category and price range over every match of the search's filters.
  func searchFacets(_ search: ProductSearch, categories: [UUID]?) async throws -> SearchFacets
  func product(id: UUID) async throws -> ProductRecord?
  /// Throws `ProductError.skuTaken`, or `.notFound` for an unknown category.
  func createProduct(_ product: ProductRecord, initialStock: Int64) async throws -> ProductRecord
  func updateProduct(
    id: UUID, name: String?, description: String?, price: (Int64, String)?, categoryID: UUID?,
    lowStockThreshold: Int64?
  ) async throws -> ProductRecord?

  /// One atomic conditional update: never below zero or below what is reserved.
  func adjustStock(productID: UUID, delta: Int64, reason: String) async throws -> StockLevel
  /// All lines or none; idempotent on the order id.
  func reserve(orderID: UUID, lines: [(UUID, Int64)], expiresAt: Date) async throws -> (ReservationStatus, Date)
  func commit(orderID: UUID) async throws -> ReservationStatus
  func release(orderID: UUID) async throws -> ReservationStatus
  /// A cancelled order's stock back, idempotently: held stock is released, sold stock goes
  /// back on hand.
  func restock(orderID: UUID) async throws -> ReservationStatus
  /// Releases held reservations past their expiry; returns how many orders it released.
  func releaseExpired(now: Date, limit: Int) async throws -> Int

  /// Returns true when the user was added, false when already on the list.
  func joinWaitlist(productID: UUID, userID: UUID) async throws -> (Bool, Date)
  func leaveWaitlist(productID: UUID, userID: UUID) async throws
  /// A customer's entries, oldest first, from after `after`; `next` is set when more follow.
  func waitlist(userID: UUID, after: WaitlistCursor?, limit: Int) async throws
    -> (entries: [(UUID, Date)], next: WaitlistCursor?)
}
