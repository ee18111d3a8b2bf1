import Foundation

/// A paid order to pack, as the order service puts it on the stream: what to pack and where
/// it goes, so that a worker can choose a warehouse without reading the order first.
public struct FulfillmentJob: Sendable, Equatable {
  public struct Line: Sendable, Equatable, Codable {
    public var productID: UUID
    public var name: String
    public var quantity: Int64

    public init(productID: UUID, name: String, quantity: Int64) {
      self.productID = productID
      self.name = name
      self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey {
      case productID = "product_id"
      case name, quantity
    }
  }

  public var orderID: UUID
  public var lines: [Line]
  /// The shipping address's ISO country code.
  public var country: String

  public init(orderID: UUID, lines: [Line], country: String) {
    self.orderID = orderID
    self.lines = lines
    self.country = country
  }

  /// The entry's fields on the stream.
  public var fields: [(String, String)] {
    let encoded = (try? JSONEncoder().encode(lines)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    return [("order_id", orderID.uuidString.lowercased()), ("lines", encoded), ("country", country)]
  }

  /// Reads a job back from an entry's fields; a job that cannot be read can never be packed.
  public init(fields: [String: String]) throws(FulfillmentJobError) {
    guard let text = fields["order_id"], let orderID = UUID(uuidString: text) else {
      throw .malformed("the job names no order (order_id)")
    }
    guard let json = fields["lines"], let lines = try? JSONDecoder().decode([Line].self, from: Data(json.utf8)),
      !lines.isEmpty, lines.allSatisfy({ $0.quantity > 0 })
    else { throw .malformed("the job of order \(text) has no readable lines") }
    self.init(orderID: orderID, lines: lines, country: fields["country"] ?? "")
  }
}

/// Why a job cannot be worked on.
public enum FulfillmentJobError: Error, Equatable, CustomStringConvertible {
  case malformed(String)

  public var description: String {
    switch self {
    case .malformed(let reason): reason
    }
  }
}
