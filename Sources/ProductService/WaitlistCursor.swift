import Foundation
import ShopContracts

/// Where the next page of a customer's waitlist starts: the last entry shown, in the list's
/// order (oldest first).
public struct WaitlistCursor: Sendable, Equatable, Codable {
  /// When the last entry was made, in microseconds since 1970.
  public var createdMicros: Int64
  public var productID: UUID

  enum CodingKeys: String, CodingKey {
    case createdMicros = "c"
    case productID = "p"
  }

  public init(createdMicros: Int64, productID: UUID) {
    self.createdMicros = createdMicros
    self.productID = productID
  }

  public init(encoded: String) throws {
    guard let cursor = OpaqueCursor.decode(WaitlistCursor.self, from: encoded) else {
      throw ProductError.invalidCursor
    }
    self = cursor
  }

  public var encoded: String { OpaqueCursor.encode(self) }
}
