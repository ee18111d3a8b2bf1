import NIOCore

/// Decodes server replies from a byte stream, one whole (possibly multi-line) reply per call.
///
/// Lines end in CRLF; a bare LF is accepted too, as many servers are lenient the other way.
/// A reply is complete at the line whose code is followed by a space or by nothing; a hyphen
/// after the code continues it (RFC 5321 §4.2.1). Nothing is consumed until a reply is whole.
public struct SMTPReplyDecoder: NIOSingleStepByteToMessageDecoder {
  public typealias InboundOut = SMTPReply

  /// The longest line accepted, in bytes without its ending (RFC 5321 allows 512 with it).
  public let maximumLineLength: Int
  /// The most lines one reply may have (EHLO's list of extensions is the longest in practice).
  public let maximumLines: Int

  public init(maximumLineLength: Int = 2048, maximumLines: Int = 128) {
    self.maximumLineLength = maximumLineLength
    self.maximumLines = maximumLines
  }

  public mutating func decode(buffer: inout ByteBuffer) throws -> SMTPReply? {
    var cursor = buffer.readerIndex
    var code: Int?
    var lines: [String] = []
    while true {
      let end = buffer.readableBytesView[cursor...].firstIndex(of: UInt8(ascii: "\n"))
      guard let end else {
        if buffer.writerIndex - cursor > maximumLineLength + 2 {
          throw SMTPProtocolError(.replyTooLong, "a reply line is longer than \(maximumLineLength) bytes")
        }
        return nil
      }
      var line = Array(buffer.readableBytesView[cursor..<end])
      if line.last == UInt8(ascii: "\r") { line.removeLast() }
      cursor = end + 1
      guard line.count <= maximumLineLength else {
        throw SMTPProtocolError(.replyTooLong, "a reply line is longer than \(maximumLineLength) bytes")
      }
      let (lineCode, more, text) = try Self.parse(line)
      if let code, code != lineCode {
        throw SMTPProtocolError(.mixedReplyCodes, "a reply continued with code \(lineCode) after \(code)")
      }
      code = lineCode
      lines.append(text)
      guard lines.count <= maximumLines else {
        throw SMTPProtocolError(.replyTooLong, "a reply has more than \(maximumLines) lines")
      }
      if !more {
        buffer.moveReaderIndex(to: cursor)
        return SMTPReply(code: lineCode, lines: lines)
      }
    }
  }

  public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> SMTPReply? {
    if let reply = try decode(buffer: &buffer) { return reply }
    if seenEOF && buffer.readableBytes > 0 {
      throw SMTPProtocolError(.truncated, "the connection ended inside a reply")
    }
    return nil
  }

  private static func parse(_ line: [UInt8]) throws -> (code: Int, more: Bool, text: String) {
    let digits = line.prefix(3)
    guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
      let code = Int(String(decoding: digits, as: UTF8.self)), (200...599).contains(code)
    else {
      throw SMTPProtocolError(.invalidReply, "a reply line does not start with a reply code")
    }
    guard line.count > 3 else { return (code, false, "") }
    switch line[3] {
    case UInt8(ascii: " "): return (code, false, String(decoding: line[4...], as: UTF8.self))
    case UInt8(ascii: "-"): return (code, true, String(decoding: line[4...], as: UTF8.self))
    default: throw SMTPProtocolError(.invalidReply, "a reply code is followed by neither a space nor a hyphen")
    }
  }
}
