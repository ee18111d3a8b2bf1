import NIOCore

extension RESPValue {
  /// Appends the RESP3 wire form of this value to `buffer`.
  ///
  /// The output is what ``RESPDecoder`` reads back, which makes this suitable for fake servers in
  /// tests. Simple strings and simple errors are written as given, so they must not contain `\r`
  /// or `\n`; use ``blobString(_:)`` or ``blobError(_:)`` for arbitrary text.
  public func encode(into buffer: inout ByteBuffer) {
    switch self {
    case .simpleString(let text):
      Self.writeLine(UInt8(ascii: "+"), text, into: &buffer)
    case .blobString(let bytes):
      buffer.writeRESPHeader(UInt8(ascii: "$"), bytes.readableBytes)
      buffer.writeImmutableBuffer(bytes)
      buffer.writeRESPLineEnd()
    case .simpleError(let message):
      Self.writeLine(UInt8(ascii: "-"), message, into: &buffer)
    case .blobError(let message):
      buffer.writeRESPHeader(UInt8(ascii: "!"), message.utf8.count)
      buffer.writeString(message)
      buffer.writeRESPLineEnd()
    case .integer(let value):
      buffer.writeInteger(UInt8(ascii: ":"))
      buffer.writeDecimal(value)
      buffer.writeRESPLineEnd()
    case .double(let value):
      Self.writeLine(UInt8(ascii: ","), Self.text(of: value), into: &buffer)
    case .bigNumber(let digits):
      Self.writeLine(UInt8(ascii: "("), digits, into: &buffer)
    case .boolean(let value):
      Self.writeLine(UInt8(ascii: "#"), value ? "t" : "f", into: &buffer)
    case .null:
      buffer.writeInteger(UInt8(ascii: "_"))
      buffer.writeRESPLineEnd()
    case .verbatimString(let format, let text):
      buffer.writeRESPHeader(UInt8(ascii: "="), format.utf8.count + 1 + text.utf8.count)
      buffer.writeString(format)
      buffer.writeInteger(UInt8(ascii: ":"))
      buffer.writeString(text)
      buffer.writeRESPLineEnd()
    case .array(let elements):
      Self.writeAggregate(UInt8(ascii: "*"), elements, into: &buffer)
    case .map(let pairs):
      Self.writePairs(UInt8(ascii: "%"), pairs, into: &buffer)
    case .set(let elements):
      Self.writeAggregate(UInt8(ascii: "~"), elements, into: &buffer)
    case .push(let elements):
      Self.writeAggregate(UInt8(ascii: ">"), elements, into: &buffer)
    case .attribute(let pairs, let value):
      Self.writePairs(UInt8(ascii: "|"), pairs, into: &buffer)
      value.encode(into: &buffer)
    }
  }

  private static func writeLine(_ marker: UInt8, _ text: String, into buffer: inout ByteBuffer) {
    buffer.writeInteger(marker)
    buffer.writeString(text)
    buffer.writeRESPLineEnd()
  }

  /// RESP3 spells the non-finite doubles `inf`, `-inf` and `nan`; Swift's shortest round-trip
  /// description already matches the finite grammar, exponent included.
  private static func text(of value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return value.description
  }

  private static func writeAggregate(_ marker: UInt8, _ elements: [RESPValue], into buffer: inout ByteBuffer) {
    buffer.writeRESPHeader(marker, elements.count)
    for element in elements {
      element.encode(into: &buffer)
    }
  }

  private static func writePairs(_ marker: UInt8, _ pairs: [RESPPair], into buffer: inout ByteBuffer) {
    buffer.writeRESPHeader(marker, pairs.count)
    for pair in pairs {
      pair.key.encode(into: &buffer)
      pair.value.encode(into: &buffer)
    }
  }
}
