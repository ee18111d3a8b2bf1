import SMTPProtocol

/// Why a message was not sent. ``isPermanent`` tells a caller whether trying again can help:
/// a 5xx reply will be given again, everything else (a 4xx reply, a refused or dropped
/// connection, a timeout) may pass later.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
  /// The kind of failure; the cases are stable and safe to switch over.
  public enum Code: Sendable, Hashable {
    /// The server answered 4xx: it cannot take this now.
    case transientReply
    /// The server answered 5xx: it will not take this.
    case permanentReply
    /// No connection could be made.
    case connectionFailed
    /// The connection ended before the exchange did.
    case connectionClosed
    /// The server took longer than the configured timeout.
    case timeout
    /// TLS is required and the server does not offer STARTTLS, or the handshake failed.
    case tlsUnavailable
    /// Credentials are configured and the server offers no mechanism the client speaks, or
    /// only over a connection that is not encrypted.
    case authenticationUnavailable
    /// The server broke the protocol (an unparsable reply, one nobody asked for).
    case protocolViolation
  }

  public var code: Code
  /// The server's reply, for ``Code/transientReply`` and ``Code/permanentReply``.
  public var reply: SMTPReply?
  /// The command or step that failed (`MAIL`, `RCPT`, `DATA`, `greeting`, …).
  public var step: String
  public var detail: String

  public init(_ code: Code, step: String, reply: SMTPReply? = nil, detail: String = "") {
    self.code = code
    self.step = step
    self.reply = reply
    self.detail = detail
  }

  /// The error a failure reply stands for.
  static func rejected(_ reply: SMTPReply, at step: String) -> SMTPError {
    SMTPError(reply.isTransientFailure ? .transientReply : .permanentReply, step: step, reply: reply)
  }

  /// True when sending again cannot succeed: the server refused with a 5xx reply.
  public var isPermanent: Bool { code == .permanentReply }

  public var description: String {
    var text = "SMTPError(\(code) at \(step)"
    if let reply { text += ": \(reply)" }
    if !detail.isEmpty { text += ": \(detail)" }
    return text + ")"
  }
}
