import NIOCore
import Testing

@testable import SMTPProtocol

@Suite struct SMTPReplyDecoderTests {
  static func decode(_ text: String) throws -> [SMTPReply] {
    var decoder = SMTPReplyDecoder()
    var buffer = ByteBuffer(string: text)
    var replies: [SMTPReply] = []
    while let reply = try decoder.decode(buffer: &buffer) { replies.append(reply) }
    return replies
  }

  @Test func aSingleLineReply() throws {
    #expect(try Self.decode("250 2.0.0 OK\r\n") == [SMTPReply(code: 250, lines: ["2.0.0 OK"])])
  }

  @Test func aMultiLineReplyEndsAtTheLineWithASpace() throws {
    let replies = try Self.decode("250-mail.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n354 go ahead\r\n")
    #expect(
      replies == [
        SMTPReply(code: 250, lines: ["mail.example.com", "PIPELINING", "STARTTLS"]),
        SMTPReply(code: 354, lines: ["go ahead"]),
      ])
  }

  @Test func aCodeAloneAndABareLineFeedAreAccepted() throws {
    #expect(try Self.decode("221\n") == [SMTPReply(code: 221, lines: [""])])
  }

  @Test func aReplyArrivingByteByByteIsDecodedOnceWhole() throws {
    var decoder = SMTPReplyDecoder()
    var buffer = ByteBuffer()
    var replies: [SMTPReply] = []
    for byte in "250-a\r\n250 b\r\n".utf8 {
      buffer.writeInteger(byte)
      if let reply = try decoder.decode(buffer: &buffer) { replies.append(reply) }
    }
    #expect(replies == [SMTPReply(code: 250, lines: ["a", "b"])] && buffer.readableBytes == 0)
  }

  @Test(arguments: [
    ("25 short\r\n", SMTPProtocolError.Code.invalidReply),
    ("abc text\r\n", .invalidReply),
    ("250x text\r\n", .invalidReply),
    ("150 below the range\r\n", .invalidReply),
    ("250-first\r\n451 second\r\n", .mixedReplyCodes),
  ])
  func malformedRepliesAreRefused(input: String, code: SMTPProtocolError.Code) {
    #expect { try Self.decode(input) } throws: { ($0 as? SMTPProtocolError)?.code == code }
  }

  @Test func tooLongALineOrTooManyLinesAreRefused() {
    var decoder = SMTPReplyDecoder(maximumLineLength: 16, maximumLines: 2)
    var long = ByteBuffer(string: "250 " + String(repeating: "x", count: 40))
    #expect { try decoder.decode(buffer: &long) } throws: { ($0 as? SMTPProtocolError)?.code == .replyTooLong }
    var many = ByteBuffer(string: "250-a\r\n250-b\r\n250 c\r\n")
    #expect { try decoder.decode(buffer: &many) } throws: { ($0 as? SMTPProtocolError)?.code == .replyTooLong }
  }

  @Test func theConnectionEndingInsideAReplyIsTruncated() throws {
    var decoder = SMTPReplyDecoder()
    var buffer = ByteBuffer(string: "250-a\r\n250 b")
    #expect(try decoder.decode(buffer: &buffer) == nil)
    #expect { try decoder.decodeLast(buffer: &buffer, seenEOF: true) } throws: {
      ($0 as? SMTPProtocolError)?.code == .truncated
    }
  }

  @Test func replyClasses() {
    #expect(SMTPReply(code: 250, lines: []).isCompletion && SMTPReply(code: 354, lines: []).isIntermediate)
    #expect(SMTPReply(code: 451, lines: []).isTransientFailure && SMTPReply(code: 550, lines: []).isPermanentFailure)
  }
}
