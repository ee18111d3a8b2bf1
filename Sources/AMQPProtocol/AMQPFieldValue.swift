import NIOCore

/// One value in a field table or field array, with every field type RabbitMQ reads and writes.
///
/// The type octet written for each case follows RabbitMQ's field type table rather than the
/// original 0-9-1 grammar, which disagrees with every broker on several letters. Literals produce
/// the types RabbitMQ itself uses for them: text becomes a long string (`S`), integers a signed
/// 64-bit integer (`l`), so `["x-max-priority": 10, "x-queue-type": "quorum"]` is a valid
/// ``AMQPTable``.
public enum AMQPFieldValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral
{
  /// `t`: a boolean, one octet. Any non-zero octet reads as `true`.
  case bool(Bool)
  /// `b`: a signed 8-bit integer.
  case int8(Int8)
  /// `B`: an unsigned 8-bit integer.
  case uint8(UInt8)
  /// `s`: a signed 16-bit integer.
  case int16(Int16)
  /// `u`: an unsigned 16-bit integer.
  case uint16(UInt16)
  /// `I`: a signed 32-bit integer.
  case int32(Int32)
  /// `i`: an unsigned 32-bit integer.
  case uint32(UInt32)
  /// `l`: a signed 64-bit integer.
  case int64(Int64)
  /// `f`: an IEEE 754 single-precision number.
  case float(Float)
  /// `d`: an IEEE 754 double-precision number.
  case double(Double)
  /// `D`: a decimal number, `value` divided by ten to the power of `scale`.
  case decimal(scale: UInt8, value: UInt32)
  /// `S`: a long string. RabbitMQ uses it for all text, so ``string(_:)`` and ``stringValue``
  /// convert from and to UTF-8.
  case longString([UInt8])
  /// `x`: an opaque byte array.
  case bytes([UInt8])
  /// `A`: an array of values, which need not share a type.
  case array([AMQPFieldValue])
  /// `T`: a timestamp, in seconds since the Unix epoch.
  case timestamp(UInt64)
  /// `F`: a nested field table.
  case table(AMQPTable)
  /// `V`: no value.
  case void

  /// A long string holding the UTF-8 bytes of `string`.
  public static func string(_ string: String) -> AMQPFieldValue {
    .longString(Array(string.utf8))
  }

  /// The text of a long string, or `nil` for any other type.
  ///
  /// Bytes that are not valid UTF-8 are replaced with U+FFFD.
  public var stringValue: String? {
    guard case .longString(let bytes) = self else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The value of any integer type, or `nil` for other types and for unsigned values above
  /// `Int64.max`.
  ///
  /// Peers pick integer widths freely, so reading through this accepts them all.
  public var integerValue: Int64? {
    switch self {
    case .int8(let value): Int64(value)
    case .uint8(let value): Int64(value)
    case .int16(let value): Int64(value)
    case .uint16(let value): Int64(value)
    case .int32(let value): Int64(value)
    case .uint32(let value): Int64(value)
    case .int64(let value): value
    default: nil
    }
  }

  /// A long string holding the UTF-8 bytes of a string literal.
  public init(stringLiteral value: String) {
    self = .string(value)
  }

  /// A boolean.
  public init(booleanLiteral value: Bool) {
    self = .bool(value)
  }

  /// A signed 64-bit integer.
  public init(integerLiteral value: Int64) {
    self = .int64(value)
  }

  /// A double-precision number.
  public init(floatLiteral value: Double) {
    self = .double(value)
  }
}

extension AMQPFieldValue {
  /// Writes the type octet followed by the value.
  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    switch self {
    case .bool(let value):
      buffer.writeInteger(UInt8(ascii: "t"))
      buffer.writeInteger(UInt8(value ? 1 : 0))
    case .int8(let value):
      buffer.writeInteger(UInt8(ascii: "b"))
      buffer.writeInteger(value)
    case .uint8(let value):
      buffer.writeInteger(UInt8(ascii: "B"))
      buffer.writeInteger(value)
    case .int16(let value):
      buffer.writeInteger(UInt8(ascii: "s"))
      buffer.writeInteger(value)
    case .uint16(let value):
      buffer.writeInteger(UInt8(ascii: "u"))
      buffer.writeInteger(value)
    case .int32(let value):
      buffer.writeInteger(UInt8(ascii: "I"))
      buffer.writeInteger(value)
    case .uint32(let value):
      buffer.writeInteger(UInt8(ascii: "i"))
      buffer.writeInteger(value)
    case .int64(let value):
      buffer.writeInteger(UInt8(ascii: "l"))
      buffer.writeInteger(value)
    case .float(let value):
      buffer.writeInteger(UInt8(ascii: "f"))
      buffer.writeInteger(value.bitPattern)
    case .double(let value):
      buffer.writeInteger(UInt8(ascii: "d"))
      buffer.writeInteger(value.bitPattern)
    case .decimal(let scale, let value):
      buffer.writeInteger(UInt8(ascii: "D"))
      buffer.writeInteger(scale)
      buffer.writeInteger(value)
    case .longString(let bytes):
      buffer.writeInteger(UInt8(ascii: "S"))
      try buffer.writeAMQPLongString(bytes)
    case .bytes(let bytes):
      buffer.writeInteger(UInt8(ascii: "x"))
      try buffer.writeAMQPLongString(bytes)
    case .array(let values):
      buffer.writeInteger(UInt8(ascii: "A"))
      try buffer.writeAMQPLengthPrefixed { (buffer) throws(AMQPProtocolError) in
        for value in values {
          try value.encode(into: &buffer)
        }
      }
    case .timestamp(let value):
      buffer.writeInteger(UInt8(ascii: "T"))
      buffer.writeInteger(value)
    case .table(let table):
      buffer.writeInteger(UInt8(ascii: "F"))
      try table.encode(into: &buffer)
    case .void:
      buffer.writeInteger(UInt8(ascii: "V"))
    }
  }

  /// Reads a type octet and the value it announces.
  ///
  /// `depth` counts the tables and arrays this value is nested in below the top-level table; it
  /// bounds recursion so that a hostile frame cannot exhaust the stack.
  static func decode(from buffer: inout ByteBuffer, depth: Int) throws(AMQPProtocolError) -> AMQPFieldValue {
    let type = try buffer.readAMQPInteger(as: UInt8.self)
    switch type {
    case UInt8(ascii: "t"): return .bool(try buffer.readAMQPInteger(as: UInt8.self) != 0)
    case UInt8(ascii: "b"): return .int8(try buffer.readAMQPInteger())
    case UInt8(ascii: "B"): return .uint8(try buffer.readAMQPInteger())
    case UInt8(ascii: "s"): return .int16(try buffer.readAMQPInteger())
    case UInt8(ascii: "u"): return .uint16(try buffer.readAMQPInteger())
    case UInt8(ascii: "I"): return .int32(try buffer.readAMQPInteger())
    case UInt8(ascii: "i"): return .uint32(try buffer.readAMQPInteger())
    case UInt8(ascii: "l"): return .int64(try buffer.readAMQPInteger())
    case UInt8(ascii: "f"): return .float(Float(bitPattern: try buffer.readAMQPInteger()))
    case UInt8(ascii: "d"): return .double(Double(bitPattern: try buffer.readAMQPInteger()))
    case UInt8(ascii: "D"):
      let scale = try buffer.readAMQPInteger(as: UInt8.self)
      return .decimal(scale: scale, value: try buffer.readAMQPInteger())
    case UInt8(ascii: "S"): return .longString(try buffer.readAMQPLongString())
    case UInt8(ascii: "x"): return .bytes(try buffer.readAMQPLongString())
    case UInt8(ascii: "A"):
      guard depth < AMQPTable.maximumNestingDepth else {
        throw AMQPProtocolError(.nestingTooDeep)
      }
      var contents = try buffer.readAMQPLengthPrefixedSlice()
      var values: [AMQPFieldValue] = []
      while contents.readableBytes > 0 {
        values.append(try decode(from: &contents, depth: depth + 1))
      }
      return .array(values)
    case UInt8(ascii: "T"): return .timestamp(try buffer.readAMQPInteger())
    case UInt8(ascii: "F"):
      guard depth < AMQPTable.maximumNestingDepth else {
        throw AMQPProtocolError(.nestingTooDeep)
      }
      return .table(try AMQPTable.decode(from: &buffer, depth: depth + 1))
    case UInt8(ascii: "V"): return .void
    default:
      throw AMQPProtocolError(.unknownFieldType, "type octet \(type)")
    }
  }
}
