import Foundation
import ShopContracts

/// The order as placed, kept whole as a JSONB document beside the order's rows: its lines
/// with the names and prices of that moment, the address, the totals, what is shown of the
/// card. Never the card number or CVC.
public struct OrderDocument: Sendable, Equatable, Codable {
  public struct CardShown: Sendable, Equatable, Codable {
    public var brand: String
    public var last4: String
  }

  public var id: UUID
  public var userID: UUID
  public var items: [OrderLine]
  public var total: Money
  public var shippingAddress: PostalAddress
  public var card: CardShown
  /// Whether the cart was ordered, and is emptied once the order is paid.
  public var fromCart: Bool
  public var createdAt: Date

  public init(
    id: UUID, userID: UUID, items: [OrderLine], total: Money, shippingAddress: PostalAddress, card: CardShown,
    fromCart: Bool, createdAt: Date
  ) {
    self.id = id
    self.userID = userID
    self.items = items
    self.total = total
    self.shippingAddress = shippingAddress
    self.card = card
    self.fromCart = fromCart
    self.createdAt = createdAt
  }

  enum CodingKeys: String, CodingKey {
    case id, items, total, card
    case userID = "user_id"
    case shippingAddress = "shipping_address"
    case fromCart = "from_cart"
    case createdAt = "created_at"
  }

  public func encoded() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(date.rfc3339)
    }
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  public static func decode(_ text: String) throws -> OrderDocument {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let date = Date(rfc3339: text) else {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not RFC 3339"))
      }
      return date
    }
    return try decoder.decode(OrderDocument.self, from: Data(text.utf8))
  }
}
