import Foundation

/// Where the next page of a search starts: the sort key and id of the last row shown.
/// Opaque to clients (base64url JSON); a keyset, so rows added meanwhile neither repeat nor
/// push others off a page.
public struct SearchCursor: Sendable, Equatable, Codable {
  public var sort: SearchSort
  /// The last row's sort value: its rank, price or creation time in microseconds.
  public var key: Double
  public var id: UUID
  var queryHash: UInt32
  /// Whether the search matched its corrected text (the text had no exact hits), and that
  /// text, so that every page of one result matches the same way even if the catalog's words
  /// change meanwhile.
  public var typoTolerant: Bool
  var correctedText: String?

  enum CodingKeys: String, CodingKey {
    case sort = "s"
    case key = "k"
    case id = "i"
    case queryHash = "q"
    case typoTolerant = "t"
    case correctedText = "c"
  }

  public init(
    sort: SearchSort, key: Double, id: UUID, queryHash: UInt32, typoTolerant: Bool = false,
    correctedText: String? = nil
  ) {
    self.sort = sort
    self.key = key
    self.id = id
    self.queryHash = queryHash
    self.typoTolerant = typoTolerant
    self.correctedText = correctedText
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    sort = try c.decode(SearchSort.self, forKey: .sort)
    key = try c.decode(Double.self, forKey: .key)
    id = try c.decode(UUID.self, forKey: .id)
    queryHash = try c.decode(UInt32.self, forKey: .queryHash)
    typoTolerant = try c.decodeIfPresent(Bool.self, forKey: .typoTolerant) ?? false
    correctedText = try c.decodeIfPresent(String.self, forKey: .correctedText)
  }

  public init(encoded: String) throws {
    let cursor = try OpaqueCursor.decode(SearchCursor.self, from: encoded)
    guard cursor.key.isFinite else { throw ProductError.invalidCursor }
    self = cursor
  }

  public var encoded: String { OpaqueCursor.encode(self) }
}

extension SearchSort: Codable {}
