import NIOCore

/// A client command (RFC 5321 §4.1), with the extensions the client uses: STARTTLS
/// (RFC 3207), AUTH (RFC 4954), SIZE (RFC 1870) and SMTPUTF8 (RFC 6531). Bodies are sent as
/// 7-bit text (quoted-printable), so BODY=8BITMIME is never asked for.
public enum SMTPCommand: Sendable, Hashable {
  case ehlo(domain: String)
  case helo(domain: String)
  case startTLS
  /// `AUTH <mechanism> [initial-response]`, the response already base64-encoded.
  case auth(mechanism: String, initialResponse: String?)
  /// A line answering a 334 challenge, base64-encoded.
  case authResponse(String)
  /// `MAIL FROM:<address>` with the parameters the server's extensions allow.
  case mail(from: SMTPMailbox, size: Int?, smtpUTF8: Bool)
  case recipient(SMTPMailbox)
  case data
  case reset
  case quit

  /// Writes the command and its CRLF.
  public func encode(into buffer: inout ByteBuffer) {
    switch self {
    case .ehlo(let domain): buffer.writeString("EHLO \(domain)")
    case .helo(let domain): buffer.writeString("HELO \(domain)")
    case .startTLS: buffer.writeString("STARTTLS")
    case .auth(let mechanism, let initialResponse):
      buffer.writeString("AUTH \(mechanism)")
      if let initialResponse { buffer.writeString(" \(initialResponse.isEmpty ? "=" : initialResponse)") }
    case .authResponse(let line): buffer.writeString(line)
    case .mail(let from, let size, let smtpUTF8):
      buffer.writeString("MAIL FROM:<\(from.address)>")
      if let size { buffer.writeString(" SIZE=\(size)") }
      if smtpUTF8 { buffer.writeString(" SMTPUTF8") }
    case .recipient(let to): buffer.writeString("RCPT TO:<\(to.address)>")
    case .data: buffer.writeString("DATA")
    case .reset: buffer.writeString("RSET")
    case .quit: buffer.writeString("QUIT")
    }
    buffer.writeString("\r\n")
  }

  /// A domain for EHLO: a name or an address literal, checked like a mailbox's parts.
  public static func checkedDomain(_ domain: String) throws(SMTPProtocolError) -> String {
    guard !domain.isEmpty, domain.utf8.count <= 255,
      domain.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "<" && $0 != ">" })
    else {
      throw SMTPProtocolError(.invalidAddress, "not a domain for EHLO: \(domain.debugDescription)")
    }
    return domain
  }
}
