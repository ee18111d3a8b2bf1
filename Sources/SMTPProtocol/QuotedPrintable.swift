import Foundation

/// The quoted-printable transfer encoding (RFC 2045 §6.7) for text bodies: readable where the
/// text is ASCII, every line shorter than 77 characters, line breaks as CRLF.
enum QuotedPrintable {
  static let maximumLineLength = 76

  static func encode(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
    let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() {
      if index > 0 { output += "\r\n" }
      output += encode(line: Array(line.utf8))
    }
    return output
  }

  private static func encode(line bytes: [UInt8]) -> String {
    var output = ""
    var length = 0
    for (index, byte) in bytes.enumerated() {
      let last = index == bytes.count - 1
      let literal =
        (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
        || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !last)
      let piece = literal ? String(UnicodeScalar(byte)) : "=" + hex(byte)
      // A soft break ("=" at the end) keeps the line within the limit with room for itself.
      if length + piece.count > maximumLineLength - (last ? 0 : 1) {
        output += "=\r\n"
        length = 0
      }
      output += piece
      length += piece.count
    }
    return output
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
  }
}
