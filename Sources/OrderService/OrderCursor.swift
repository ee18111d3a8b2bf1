import Foundation
import ShopContracts

/// Where a page of orders (newest first) continues: after this creation time and id. Opaque
/// to clients (``OpaqueCursor``).
public struct OrderCursor: Sendable, Equatable, Codable {
  public var createdAt: Date
  public var id: UUID

  public init(createdAt: Date, id: UUID) {
    self.createdAt = createdAt
    self.id = id
  }

  /// Microseconds, the database's precision, so that the position compares exactly.
  enum CodingKeys: String, CodingKey {
    case createdAt = "t"
    case id = "i"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    createdAt = Date(timeIntervalSince1970: Double(try container.decode(Int64.self, forKey: .createdAt)) / 1_000_000)
    id = try container.decode(UUID.self, forKey: .id)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(Int64((createdAt.timeIntervalSince1970 * 1_000_000).rounded()), forKey: .createdAt)
    try container.encode(id, forKey: .id)
  }

  public var encoded: String { OpaqueCursor.encode(self) }

  public init(encoded: String) throws(OrderError) {
    guard let cursor = OpaqueCursor.decode(OrderCursor.self, from: encoded) else {
      throw .invalid("cursor", "is not a cursor of this list")
    }
    self = cursor
  }
}
