import Foundation
import Synchronization

/// Facets by filter set for a few seconds. Counting a large result costs far more than
/// reading one page of it, and the counts of a catalog move slowly; stale by at most the TTL.
final class FacetCache: Sendable {
  /// The filters that decide the facets: not the sort, the page size or the cursor.
  struct Key: Hashable, Sendable {
    var text: String?
    var categoryID: UUID?
    var minPrice: Int64?
    var maxPrice: Int64?
    var inStockOnly: Bool
    var typoTolerant: Bool

    init(_ search: ProductSearch) {
      text = search.text?.lowercased()
      categoryID = search.categoryID
      minPrice = search.minPrice
      maxPrice = search.maxPrice
      inStockOnly = search.inStockOnly
      typoTolerant = search.typoTolerant
    }
  }

  private struct Entry {
    var facets: SearchFacets
    var expires: ContinuousClock.Instant
  }

  private let entries = Mutex<[Key: Entry]>([:])
  private let ttl: Duration
  private let capacity: Int

  init(ttl: Duration, capacity: Int = 2048) {
    self.ttl = ttl
    self.capacity = capacity
  }

  func get(_ key: Key) -> SearchFacets? {
    let now = ContinuousClock.now
    return entries.withLock { entries in
      guard let entry = entries[key], entry.expires > now else { return nil }
      return entry.facets
    }
  }

  func put(_ key: Key, _ facets: SearchFacets) {
    let now = ContinuousClock.now
    entries.withLock { entries in
      if entries.count >= capacity {
        // Drop what has expired; if everything is fresh, start over rather than grow.
        entries = entries.filter { $0.value.expires > now }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
      }
      entries[key] = Entry(facets: facets, expires: now + ttl)
    }
  }
}
