import NIOCore
import Testing

@testable import SMTPProtocol

@Suite struct SMTPCommandTests {
  static func encoded(_ command: SMTPCommand) -> String {
    var buffer = ByteBuffer()
    command.encode(into: &buffer)
    return String(buffer: buffer)
  }

  @Test func commandsAreWrittenAsRFC5321SpellsThem() throws {
    let from = try SMTPMailbox("shop@swiftshop.local")
    #expect(Self.encoded(.ehlo(domain: "client.local")) == "EHLO client.local\r\n")
    #expect(Self.encoded(.startTLS) == "STARTTLS\r\n")
    #expect(Self.encoded(.auth(mechanism: "PLAIN", initialResponse: "AGEAYg==")) == "AUTH PLAIN AGEAYg==\r\n")
    #expect(Self.encoded(.auth(mechanism: "PLAIN", initialResponse: "")) == "AUTH PLAIN =\r\n")
    #expect(Self.encoded(.auth(mechanism: "LOGIN", initialResponse: nil)) == "AUTH LOGIN\r\n")
    #expect(
      Self.encoded(.mail(from: from, size: 1200, smtpUTF8: true))
        == "MAIL FROM:<shop@swiftshop.local> SIZE=1200 SMTPUTF8\r\n")
    #expect(Self.encoded(.recipient(try SMTPMailbox("ada@example.com"))) == "RCPT TO:<ada@example.com>\r\n")
    #expect(
      Self.encoded(.data) == "DATA\r\n" && Self.encoded(.reset) == "RSET\r\n" && Self.encoded(.quit) == "QUIT\r\n")
  }

  @Test(arguments: [
    "ada@example.com>\r\nRCPT TO:<eve@example.com", "no-at-sign", "@example.com", "ada@", "a da@example.com",
    "ada@example.com\n",
  ])
  func anAddressThatCouldEndTheCommandIsRefused(address: String) {
    #expect { try SMTPMailbox(address) } throws: { ($0 as? SMTPProtocolError)?.code == .invalidAddress }
  }

  @Test func aDomainForEHLOIsChecked() throws {
    #expect(try SMTPCommand.checkedDomain("[127.0.0.1]") == "[127.0.0.1]")
    #expect { try SMTPCommand.checkedDomain("a b") } throws: { ($0 as? SMTPProtocolError)?.code == .invalidAddress }
    #expect { try SMTPCommand.checkedDomain("") } throws: { ($0 as? SMTPProtocolError)?.code == .invalidAddress }
  }

  @Test func theExtensionsOfAnEHLOReply() {
    let reply = SMTPReply(
      code: 250, lines: ["mx.example.com greets you", "PIPELINING", "SIZE 35882577", "auth PLAIN login", "STARTTLS"])
    let extensions = SMTPExtensions(ehloReply: reply)
    #expect(extensions.pipelining && extensions.startTLS && !extensions.smtpUTF8)
    #expect(extensions.authMechanisms == ["PLAIN", "LOGIN"] && extensions.maximumSize == 35_882_577)
    #expect(SMTPExtensions(ehloReply: SMTPReply(code: 250, lines: ["x", "SIZE 0"])).maximumSize == nil)
  }
}
