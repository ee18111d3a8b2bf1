import NIOCore

/// One RESP3 value, as sent by a Redis server.
///
/// RESP2 replies decode into the same cases: the RESP2 null blob and null array both become
/// ``null``. Accessors such as ``string`` look through an ``attribute(_:_:)`` wrapper to the
/// value it annotates, so callers that do not care about attributes can ignore them.
public enum RESPValue: Sendable, Hashable {
  /// A `+` line, typically a status reply such as `OK`.
  case simpleString(String)
  /// A `$` binary-safe string; the bytes are not assumed to be UTF-8.
  case blobString(ByteBuffer)
  /// A `-` error line; the first word is conventionally the error kind, such as `ERR`.
  case simpleError(String)
  /// A `!` binary-safe error, decoded as UTF-8 with invalid bytes replaced.
  case blobError(String)
  /// A `:` signed 64-bit integer.
  case integer(Int64)
  /// A `,` floating-point number, including infinities and NaN.
  case double(Double)
  /// A `(` integer of any size, kept as its decimal text (with an optional leading `-`).
  case bigNumber(String)
  /// A `#` boolean.
  case boolean(Bool)
  /// A `_` null, or a RESP2 null blob (`$-1`) or null array (`*-1`).
  case null
  /// A `=` string with a three-character format such as `txt` or `mkd`.
  ///
  /// The text is decoded as UTF-8 with invalid bytes replaced; the format must be exactly three
  /// bytes for the value to be encodable.
  case verbatimString(format: String, text: String)
  /// A `*` ordered list.
  case array([RESPValue])
  /// A `%` map, in the order the server sent its entries.
  case map([RESPPair])
  /// A `~` unordered collection, kept in the order the server sent it.
  case set([RESPValue])
  /// A `>` out-of-band message, such as a pub/sub message or a client-side-caching invalidation.
  ///
  /// Pushes can arrive between replies, so a client must route them before matching replies to
  /// commands.
  case push([RESPValue])
  /// A `|` attribute map together with the value it annotates.
  indirect case attribute([RESPPair], RESPValue)

  /// The text of a simple, blob or verbatim string; `nil` for other values or a blob that is not
  /// valid UTF-8.
  public var string: String? {
    switch self {
    case .simpleString(let text): text
    case .blobString(let bytes): String(validating: bytes.readableBytesView, as: UTF8.self)
    case .verbatimString(_, let text): text
    case .attribute(_, let value): value.string
    default: nil
    }
  }

  /// The value of an integer reply; `nil` for anything else, including numeric strings.
  public var int: Int64? {
    switch self {
    case .integer(let value): value
    case .attribute(_, let value): value.int
    default: nil
    }
  }

  /// The elements of an array, set or push; `nil` for anything else.
  ///
  /// Sets are included because RESP2 servers send them as arrays, so callers can read both alike.
  public var array: [RESPValue]? {
    switch self {
    case .array(let elements), .set(let elements), .push(let elements): elements
    case .attribute(_, let value): value.array
    default: nil
    }
  }

  /// Whether this is a RESP3 null or a RESP2 null blob or array.
  public var isNull: Bool {
    switch self {
    case .null: true
    case .attribute(_, let value): value.isNull
    default: false
    }
  }

  /// The message of a simple or blob error; `nil` if this is not an error.
  public var errorMessage: String? {
    switch self {
    case .simpleError(let message), .blobError(let message): message
    case .attribute(_, let value): value.errorMessage
    default: nil
    }
  }
}
