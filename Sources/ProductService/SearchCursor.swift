import Foundation
import ShopContracts

/// Where the next page of a search starts: the sort key and id of the last row shown.
/// Opaque to clients (base64url JSON); a keyset, so rows added meanwhile neither repeat nor
/// push others off a page.
///
/// It carries positions only, tied to the query's text and sort: nothing in it is searched
/// for, so a client that edits it can move through its own result but not run another
/// query. A cursor with any other field is refused.
public struct SearchCursor: Sendable, Equatable, Codable {
  public var sort: SearchSort
  /// The last row's sort value: its rank, price or creation time in microseconds.
  public var key: Double
  public var id: UUID
  var queryHash: UInt32
  /// Whether the search matched the correction of its text (the text had no exact hits);
  /// later pages correct the same text again.
  public var typoTolerant: Bool

  enum CodingKeys: String, CodingKey {
    case sort = "s"
    case key = "k"
    case id = "i"
    case queryHash = "q"
    case typoTolerant = "t"
  }

  public init(sort: SearchSort, key: Double, id: UUID, queryHash: UInt32, typoTolerant: Bool = false) {
    self.sort = sort
    self.key = key
    self.id = id
    self.queryHash = queryHash
    self.typoTolerant = typoTolerant
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    guard
      try decoder.container(keyedBy: AnyKey.self).allKeys.allSatisfy({ CodingKeys(stringValue: $0.stringValue) != nil })
    else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: [], debugDescription: "a cursor field that is not a position"))
    }
    sort = try c.decode(SearchSort.self, forKey: .sort)
    key = try c.decode(Double.self, forKey: .key)
    id = try c.decode(UUID.self, forKey: .id)
    queryHash = try c.decode(UInt32.self, forKey: .queryHash)
    typoTolerant = try c.decodeIfPresent(Bool.self, forKey: .typoTolerant) ?? false
  }

  private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(encoded: String) throws {
    guard let cursor = OpaqueCursor.decode(SearchCursor.self, from: encoded), cursor.key.isFinite else {
      throw ProductError.invalidCursor
    }
    self = cursor
  }

  public var encoded: String { OpaqueCursor.encode(self) }
}

extension SearchSort: Codable {}
