import Foundation

/// Where a page of orders (newest first) continues: after this creation time and id. Opaque
/// to clients, base64url of the position.
public struct OrderCursor: Sendable, Equatable {
  public var createdAt: Date
  public var id: UUID

  public init(createdAt: Date, id: UUID) {
    self.createdAt = createdAt
    self.id = id
  }

  public var encoded: String {
    let text = "\(Int64((createdAt.timeIntervalSince1970 * 1_000_000).rounded()))/\(id.uuidString.lowercased())"
    return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  public init(encoded: String) throws(OrderError) {
    var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
      throw .invalid("cursor", "is not a cursor of this list")
    }
    let parts = text.split(separator: "/")
    guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
      throw .invalid("cursor", "is not a cursor of this list")
    }
    self.createdAt = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    self.id = id
  }
}
