/// A page asked for over gRPC: `limit` 1 to 100 (20 when unset, API.md's lists), after the
/// position `cursor` names (from the start when empty).
public struct PageRequest: Sendable, Equatable {
  /// The field and the reason of a request that names no page; each service answers it with
  /// its own `400 validation_failed`.
  public struct Invalid: Error, Equatable {
    public let field: String
    public let reason: String
  }

  public static let defaultLimit = 20
  public static let maximumLimit = 100

  public var limit: Int
  public var after: PageCursor?

  public init(limit requested: Int32, cursor: String) throws(Invalid) {
    limit = requested == 0 ? Self.defaultLimit : Int(requested)
    guard (1...Self.maximumLimit).contains(limit) else {
      throw Invalid(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
    }
    if cursor.isEmpty {
      after = nil
    } else {
      guard let position = PageCursor(encoded: cursor) else {
        throw Invalid(field: "cursor", reason: "is not a cursor of this list")
      }
      after = position
    }
  }
}
