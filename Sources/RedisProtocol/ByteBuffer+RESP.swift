import NIOCore

extension ByteBuffer {
  /// How many bytes the decimal form of `value` takes, sign included.
  static func decimalLength(of value: Int64) -> Int {
    var remaining = value.magnitude
    var length = value < 0 ? 2 : 1
    while remaining >= 10 {
      remaining /= 10
      length += 1
    }
    return length
  }

  /// Writes the decimal digits of `value` straight into the buffer, because formatting through
  /// `String` would allocate for every length prefix of every command.
  mutating func writeDecimal(_ value: Int64) {
    let length = Self.decimalLength(of: value)
    writeWithUnsafeMutableBytes(minimumWritableBytes: length) { output in
      var remaining = value.magnitude
      var index = length
      repeat {
        index -= 1
        output[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
        remaining /= 10
      } while remaining > 0
      if value < 0 {
        output[0] = UInt8(ascii: "-")
      }
      return length
    }
  }

  /// Writes a type marker followed by a decimal count or length and the line terminator.
  mutating func writeRESPHeader(_ marker: UInt8, _ count: Int) {
    writeInteger(marker)
    writeDecimal(Int64(count))
    writeRESPLineEnd()
  }

  mutating func writeRESPLineEnd() {
    writeInteger(UInt16(0x0D0A))
  }
}
