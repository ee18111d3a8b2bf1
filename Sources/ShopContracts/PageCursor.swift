import Foundation

/// Where a page of a list ordered newest first continues: after this creation time and id.
/// Opaque to clients (``OpaqueCursor``).
public struct PageCursor: Sendable, Equatable, Codable {
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

  /// `nil` for anything that is not a cursor of such a list; each service answers that with
  /// its own `400`.
  public init?(encoded: String) {
    guard let cursor = OpaqueCursor.decode(PageCursor.self, from: encoded) else { return nil }
    self = cursor
  }
}

extension PageCursor {
  /// Where the first page starts: after a row later than any.
  public static let beforeAll = PageCursor(
    createdAt: .distantFuture, id: UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!)

  /// A page of `limit` rows out of `rows`, read one more than asked to know whether another
  /// page follows, with the position that page starts after.
  public static func page<Row>(_ rows: [Row], limit: Int, position: (Row) -> PageCursor) -> (
    rows: [Row], next: PageCursor?
  ) {
    guard rows.count > limit else { return (rows, nil) }
    let page = Array(rows.prefix(limit))
    return (page, page.last.map(position))
  }
}
