import NIOCore

/// Writes a message as the content that follows DATA (RFC 5321 §4.5.2): every line ending
/// made CRLF, a dot doubled at the start of a line, and the terminating `.` line.
public struct SMTPDataEncoder: Sendable {
  public init() {}

  /// Encodes `message` (RFC 5322 text, with CRLF or bare LF line endings) into `buffer`.
  public func encode(_ message: some Collection<UInt8>, into buffer: inout ByteBuffer) {
    buffer.reserveCapacity(minimumWritableBytes: message.count + message.count / 32 + 5)
    let bytes = Array(message)
    // Runs of ordinary bytes are copied whole; only line breaks and dots that start a line
    // are looked at one by one.
    var runStart = 0
    var atLineStart = true
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
        buffer.writeBytes(bytes[runStart..<index])
        buffer.writeString("\r\n")
        // CRLF is one line ending; a lone CR or LF is one too.
        let crlf = byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")
        index += crlf ? 2 : 1
        runStart = index
        atLineStart = true
      case UInt8(ascii: "."):
        if atLineStart {
          buffer.writeBytes(bytes[runStart..<index])
          buffer.writeInteger(UInt8(ascii: "."))
          runStart = index
        }
        atLineStart = false
        index += 1
      default:
        atLineStart = false
        index += 1
      }
    }
    buffer.writeBytes(bytes[runStart..<bytes.count])
    if !atLineStart { buffer.writeString("\r\n") }
    buffer.writeString(".\r\n")
  }
}
