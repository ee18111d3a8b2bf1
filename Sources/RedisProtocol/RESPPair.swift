/// One entry of a RESP3 map or attribute.
///
/// Maps are kept as ordered lists of pairs rather than dictionaries because the server's order
/// is meaningful to some commands and keys may be any value, including aggregates.
public struct RESPPair: Sendable, Hashable {
  /// The entry's key.
  public var key: RESPValue
  /// The entry's value.
  public var value: RESPValue

  /// Creates an entry.
  public init(key: RESPValue, value: RESPValue) {
    self.key = key
    self.value = value
  }
}
