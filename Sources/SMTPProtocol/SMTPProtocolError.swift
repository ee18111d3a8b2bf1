/// Why bytes from the server, or a value given to the encoder, are not valid SMTP.
///
/// A decoding error leaves the session out of step with the server: the connection must be
/// closed.
public struct SMTPProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of problem; the cases are stable and safe to switch over.
  public enum Code: Sendable, Hashable {
    /// A reply line does not start with a three-digit code and a space, a hyphen or its end.
    case invalidReply
    /// The lines of one multi-line reply carry different codes.
    case mixedReplyCodes
    /// A reply line or a reply is longer than the decoder allows.
    case replyTooLong
    /// The connection ended inside a reply.
    case truncated
    /// An address or a domain is not one the commands can carry (a line break, angle
    /// brackets, a space, no `@`).
    case invalidAddress
    /// A header value would break the message's structure (a line break in it).
    case invalidHeader
  }

  public var code: Code
  /// What was wrong, for logs.
  public var detail: String

  public init(_ code: Code, _ detail: String) {
    self.code = code
    self.detail = detail
  }

  public var description: String { "SMTPProtocolError(\(code): \(detail))" }
}
