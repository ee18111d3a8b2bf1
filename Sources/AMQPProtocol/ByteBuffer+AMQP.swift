import NIOCore

extension ByteBuffer {
  /// Reads a big-endian integer, failing with ``AMQPProtocolError/Code/truncatedPayload`` instead
  /// of returning `nil` so that argument lists read as straight-line code.
  mutating func readAMQPInteger<Value: FixedWidthInteger>(
    as: Value.Type = Value.self
  ) throws(AMQPProtocolError) -> Value {
    guard let value = readInteger(as: Value.self) else {
      throw AMQPProtocolError(.truncatedPayload)
    }
    return value
  }

  /// Reads an octet holding packed bit arguments; bit 0 holds the first of them.
  mutating func readAMQPBits() throws(AMQPProtocolError) -> AMQPBits {
    AMQPBits(octet: try readAMQPInteger(as: UInt8.self))
  }

  /// Reads a short string: a one-octet length and that many bytes.
  ///
  /// Bytes that are not valid UTF-8 are replaced with U+FFFD rather than rejected, because a
  /// routing key or consumer tag chosen by another client should not tear down this connection.
  mutating func readAMQPShortString() throws(AMQPProtocolError) -> String {
    let length = try readAMQPInteger(as: UInt8.self)
    guard let string = readString(length: Int(length)) else {
      throw AMQPProtocolError(.truncatedPayload)
    }
    return string
  }

  /// Reads a long string: a four-octet length and that many bytes.
  mutating func readAMQPLongString() throws(AMQPProtocolError) -> [UInt8] {
    var slice = try readAMQPLengthPrefixedSlice()
    return slice.readBytes(length: slice.readableBytes) ?? []
  }

  /// Reads a long string as text, replacing invalid UTF-8 like ``readAMQPShortString()``.
  mutating func readAMQPLongStringText() throws(AMQPProtocolError) -> String {
    var slice = try readAMQPLengthPrefixedSlice()
    return slice.readString(length: slice.readableBytes) ?? ""
  }

  /// Reads a four-octet length and returns that many bytes as a slice, which is how long
  /// strings, tables and arrays are framed.
  mutating func readAMQPLengthPrefixedSlice() throws(AMQPProtocolError) -> ByteBuffer {
    let length = try readAMQPInteger(as: UInt32.self)
    guard let count = Int(exactly: length), let slice = readSlice(length: count) else {
      throw AMQPProtocolError(.truncatedPayload)
    }
    return slice
  }

  /// Writes a short string, which the protocol limits to 255 bytes.
  mutating func writeAMQPShortString(_ string: String) throws(AMQPProtocolError) {
    let count = string.utf8.count
    guard let length = UInt8(exactly: count) else {
      throw AMQPProtocolError(.shortStringTooLong, "\(count) bytes")
    }
    writeInteger(length)
    writeString(string)
  }

  /// Writes a long string holding `bytes`.
  mutating func writeAMQPLongString(_ bytes: [UInt8]) throws(AMQPProtocolError) {
    guard let length = UInt32(exactly: bytes.count) else {
      throw AMQPProtocolError(.valueTooLong, "long string of \(bytes.count) bytes")
    }
    writeInteger(length)
    writeBytes(bytes)
  }

  /// Writes a long string holding the UTF-8 bytes of `string`.
  mutating func writeAMQPLongString(_ string: String) throws(AMQPProtocolError) {
    let count = string.utf8.count
    guard let length = UInt32(exactly: count) else {
      throw AMQPProtocolError(.valueTooLong, "long string of \(count) bytes")
    }
    writeInteger(length)
    writeString(string)
  }

  /// Writes a four-octet length followed by whatever `body` writes, because a table's or array's
  /// length is only known once its contents have been encoded.
  mutating func writeAMQPLengthPrefixed(
    _ body: (inout ByteBuffer) throws(AMQPProtocolError) -> Void
  ) throws(AMQPProtocolError) {
    let lengthIndex = writerIndex
    writeInteger(UInt32(0))
    try body(&self)
    let count = writerIndex - lengthIndex - 4
    guard let length = UInt32(exactly: count) else {
      throw AMQPProtocolError(.valueTooLong, "table or array of \(count) bytes")
    }
    setInteger(length, at: lengthIndex)
  }
}

/// Up to eight bit arguments packed into one octet, the way the specification packs consecutive
/// bit arguments: the first in the least significant bit.
struct AMQPBits {
  /// The packed octet.
  var octet: UInt8

  /// Unpacks `octet`; bits beyond those a method defines are ignored.
  init(octet: UInt8) {
    self.octet = octet
  }

  /// Packs `bits`, the first into bit 0.
  init(_ bits: Bool...) {
    octet = 0
    for (index, bit) in bits.enumerated() where bit {
      octet |= 1 << index
    }
  }

  /// The bit at `index`, counting from the least significant.
  subscript(index: Int) -> Bool {
    octet & (1 << index) != 0
  }
}
