import Synchronization

/// Products the customers found short, for the administrator to restock: what keeps a long
/// run's checkouts from all ending out of stock.
final class RestockList: Sendable {
  private let products = Mutex<[String]>([])
  /// The list keeps at most this many products.
  static let limit = 100

  func add(_ id: String) {
    products.withLock { products in
      if !products.contains(id) && products.count < Self.limit { products.append(id) }
    }
  }

  /// Up to `count` products, which leave the list.
  func take(_ count: Int) -> [String] {
    products.withLock { products in
      let taken = Array(products.prefix(count))
      products.removeFirst(taken.count)
      return taken
    }
  }
}
