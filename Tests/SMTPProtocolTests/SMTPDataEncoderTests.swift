import NIOCore
import Testing

@testable import SMTPProtocol

@Suite struct SMTPDataEncoderTests {
  static func encoded(_ text: String) -> String {
    var buffer = ByteBuffer()
    SMTPDataEncoder().encode(Array(text.utf8), into: &buffer)
    return String(buffer: buffer)
  }

  @Test func aDotAtTheStartOfALineIsDoubled() {
    #expect(
      Self.encoded(".first\r\nmiddle . dot\r\n.\r\n..two\r\n") == "..first\r\nmiddle . dot\r\n..\r\n...two\r\n.\r\n")
  }

  @Test func bareLineFeedsAndLoneCarriageReturnsBecomeCRLF() {
    #expect(Self.encoded("a\nb\rc\r\n.d\n") == "a\r\nb\r\nc\r\n..d\r\n.\r\n")
    #expect(Self.encoded("a\r\r\n.b") == "a\r\n\r\n..b\r\n.\r\n")
  }

  @Test func aMessageWithoutAFinalLineBreakStillEndsWithTheTerminator() {
    #expect(Self.encoded("last line") == "last line\r\n.\r\n")
    #expect(Self.encoded("") == ".\r\n")
    #expect(Self.encoded("ends in CR\r") == "ends in CR\r\n.\r\n")
  }
}
