import Foundation
import Testing

@testable import SMTPProtocol

@Suite struct MailMessageTests {
  static func message(subject: String = "Order 7c1f confirmed", html: String? = "<p>Thanks</p>") throws -> MailMessage {
    MailMessage(
      from: MailAddress(try SMTPMailbox("shop@swiftshop.local"), name: "SwiftShop"),
      to: [MailAddress(try SMTPMailbox("ada@example.com"), name: "Ada \"the Countess\" Lovelace")],
      subject: subject, text: "Thanks for your order.\nTotal: 12.50 EUR", html: html,
      date: Date(timeIntervalSince1970: 0), messageID: "<m1@swiftshop.local>")
  }

  static func rendered(_ message: MailMessage) throws -> String {
    String(decoding: try message.rendered(), as: UTF8.self)
  }

  /// The header fields, unfolded, by name.
  static func headers(_ text: String) -> [String: String] {
    let head = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
    var fields: [String: String] = [:]
    for line in head.components(separatedBy: "\r\n") {
      let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
      fields[parts[0]] = parts[1].trimmingCharacters(in: .whitespaces)
    }
    return fields
  }

  static func decodeQuotedPrintable(_ text: String) -> String {
    let encoded = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
    var bytes: [UInt8] = []
    var index = 0
    while index < encoded.count {
      if encoded[index] == UInt8(ascii: "="), index + 2 < encoded.count,
        let byte = UInt8(String(decoding: encoded[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
      {
        bytes.append(byte)
        index += 3
      } else {
        bytes.append(encoded[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test func theHeadersOfRFC5322() throws {
    let fields = Self.headers(try Self.rendered(try Self.message()))
    #expect(fields["Date"] == "Thu, 01 Jan 1970 00:00:00 +0000")
    #expect(fields["From"] == "\"SwiftShop\" <shop@swiftshop.local>")
    #expect(fields["To"] == "\"Ada \\\"the Countess\\\" Lovelace\" <ada@example.com>")
    #expect(fields["Subject"] == "Order 7c1f confirmed")
    #expect(fields["Message-ID"] == "<m1@swiftshop.local>" && fields["MIME-Version"] == "1.0")
  }

  @Test func textAndHTMLAreAlternativesInOneMultipart() throws {
    let text = try Self.rendered(try Self.message())
    let type = try #require(Self.headers(text)["Content-Type"])
    #expect(type.hasPrefix("multipart/alternative; boundary=\""))
    let boundary = String(type.split(separator: "\"")[1])
    let parts = text.components(separatedBy: "--\(boundary)")
    #expect(parts.count == 4 && parts[3] == "--\r\n")
    #expect(
      parts[1].contains("Content-Type: text/plain; charset=utf-8") && parts[2].contains("Content-Type: text/html"))
    #expect(parts[1].contains("Content-Transfer-Encoding: quoted-printable"))
  }

  @Test func withoutHTMLTheMessageIsOnePlainPart() throws {
    let text = try Self.rendered(try Self.message(html: nil))
    #expect(Self.headers(text)["Content-Type"] == "text/plain; charset=utf-8")
    #expect(text.hasSuffix("\r\n\r\nThanks for your order.\r\nTotal: 12.50 EUR\r\n"))
  }

  @Test func aSubjectOutsideASCIIIsEncodedWordsOfAtMost75Characters() throws {
    let subject = "Ihre Bestellung 7c1f ist bestätigt ✓ — vielen Dank für Ihren Einkauf bei SwiftShop 🛒"
    let value = try #require(Self.headers(try Self.rendered(try Self.message(subject: subject)))["Subject"])
    let words = value.split(separator: " ").map(String.init)
    #expect(words.count > 1 && words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
    let decoded = words.map { word in
      String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
    }
    #expect(decoded.joined() == subject)
  }

  @Test func aLongASCIISubjectIsFoldedAtSpaces() throws {
    let subject = Array(repeating: "word", count: 40).joined(separator: " ")
    let text = try Self.rendered(try Self.message(subject: subject))
    let head = text.components(separatedBy: "\r\n\r\n")[0]
    #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 })
    #expect(Self.headers(text)["Subject"] == subject)
  }

  @Test func aLineBreakInAHeaderValueCannotAddAField() throws {
    var message = try Self.message(subject: "Hello\r\nBcc: eve@example.com")
    let text = try Self.rendered(message)
    #expect(Self.headers(text)["Bcc"] == nil)
    message.headers = [("X-Order", "1\r\nBcc: eve@example.com")]
    #expect { try message.rendered() } throws: { ($0 as? SMTPProtocolError)?.code == .invalidHeader }
  }

  @Test func quotedPrintableKeepsLinesShortAndDecodesBackToTheText() {
    let text = "Price = 12 € \nA long line " + String(repeating: "abcdefghij", count: 20) + " end \n\tindented"
    let encoded = QuotedPrintable.encode(text)
    #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
    #expect(encoded.hasPrefix("Price =3D 12 =E2=82=AC=20\r\n"))
    #expect(Self.decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
  }
}
