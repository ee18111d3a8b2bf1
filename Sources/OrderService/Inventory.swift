import Foundation

/// The product service as the order service uses it: products' names, prices and stock, and
/// the reservations of the checkout saga, each idempotent on the order id.
public protocol Inventory: Sendable {
  /// The products among `ids` that exist.
  func products(_ ids: [UUID]) async throws -> [UUID: ProductInfo]
  /// Holds every line or none: `.reserved`, or `.outOfStock` with the short lines.
  func reserve(orderID: UUID, lines: [(UUID, Int64)], ttl: Duration) async throws -> ReservationResult
  /// `.committed` or `.reservationExpired`.
  func commit(orderID: UUID) async throws -> SagaOutcome
  func release(orderID: UUID) async throws
  /// Gives back the order's stock whether it is held or sold.
  func restock(orderID: UUID) async throws
}

public enum ReservationResult: Sendable, Equatable {
  case reserved
  case outOfStock([ShortLine])
}

/// A line that could not be held.
public struct ShortLine: Sendable, Equatable, Codable {
  public var productID: UUID
  public var requested: Int64
  public var available: Int64

  public init(productID: UUID, requested: Int64, available: Int64) {
    self.productID = productID
    self.requested = requested
    self.available = available
  }

  /// As the product service writes them.
  enum CodingKeys: String, CodingKey {
    case productID = "product_id"
    case requested, available
  }
}
