import NIOCore

/// One argument of a command, sent to the server as a bulk string.
///
/// Numbers are sent as their decimal text, which is how Redis expects them. Literals work
/// directly, so `["SET", "key", "value", "EX", 10]` is a valid argument list, and string
/// literals become ``string(_:)``, which lets callers read a command's name back out.
public enum RESPArgument: Sendable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
  ExpressibleByIntegerLiteral
{
  /// Text, sent as its UTF-8 bytes.
  case string(String)
  /// The readable bytes of a buffer, sent without consuming them.
  case buffer(ByteBuffer)
  /// Bytes sent verbatim.
  case bytes([UInt8])
  /// An integer, sent as its decimal text without going through `String`.
  case integer(Int64)

  /// An argument holding the UTF-8 bytes of `string`.
  public init(_ string: String) {
    self = .string(string)
  }

  /// An argument holding the readable bytes of `buffer`, which is not consumed.
  public init(_ buffer: ByteBuffer) {
    self = .buffer(buffer)
  }

  /// An argument holding `bytes` verbatim.
  public init(_ bytes: [UInt8]) {
    self = .bytes(bytes)
  }

  /// An argument holding the decimal text of `value`.
  public init(_ value: Int) {
    self = .integer(Int64(value))
  }

  /// An argument holding the decimal text of `value`.
  public init(_ value: Int64) {
    self = .integer(value)
  }

  /// An argument holding the shortest text that reads back as `value`, such as `1.5`, `1e-05`
  /// or `inf`.
  ///
  /// Redis rejects `nan` wherever it expects a number.
  public init(_ value: Double) {
    self = .string(value.description)
  }

  /// An argument holding the UTF-8 bytes of a string literal.
  public init(stringLiteral value: String) {
    self = .string(value)
  }

  /// An argument holding the decimal text of an integer literal.
  public init(integerLiteral value: Int64) {
    self = .integer(value)
  }

  /// How many bytes the argument's payload takes on the wire.
  var byteCount: Int {
    switch self {
    case .string(let string): string.utf8.count
    case .buffer(let buffer): buffer.readableBytes
    case .bytes(let bytes): bytes.count
    case .integer(let value): ByteBuffer.decimalLength(of: value)
    }
  }

  /// Appends the payload bytes, without length prefix or terminator.
  func writePayload(into buffer: inout ByteBuffer) {
    switch self {
    case .string(let string): buffer.writeString(string)
    case .buffer(let bytes): buffer.writeImmutableBuffer(bytes)
    case .bytes(let bytes): buffer.writeBytes(bytes)
    case .integer(let value): buffer.writeDecimal(value)
    }
  }
}
