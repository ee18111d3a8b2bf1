import NIOSSL

/// How to reach and talk to the mail server.
public struct SMTPConfiguration: Sendable {
  /// Whether the session is encrypted with STARTTLS (RFC 3207).
  public enum Security: Sendable, Hashable {
    /// Never: for a sink on loopback.
    case plain
    /// When the server offers it; a server that does not is talked to in the clear.
    case startTLSIfOffered
    /// Always: a server that does not offer STARTTLS is an error.
    case startTLS
  }

  public var host: String
  public var port: Int
  public var security: Security
  /// Trust roots and the rest of the TLS settings for STARTTLS.
  public var tls: TLSConfiguration
  /// The name the server's certificate must carry; the host when `nil`.
  public var serverName: String?
  /// For AUTH PLAIN or LOGIN (RFC 4954), whichever the server offers, PLAIN first.
  public var credentials: (username: String, password: String)?
  /// Whether credentials may be sent over a connection that is not encrypted.
  public var allowsPlaintextAuthentication: Bool
  /// The client's name in EHLO.
  public var domain: String
  public var connectTimeout: Duration
  /// For the greeting, EHLO, STARTTLS and AUTH together.
  public var sessionTimeout: Duration
  /// For one message, from MAIL to the reply after its content.
  public var transactionTimeout: Duration
  /// Connections kept open between messages.
  public var maximumIdleConnections: Int
  /// An idle connection older than this is closed rather than reused (servers drop idle
  /// sessions after a few minutes).
  public var idleTimeout: Duration

  public init(
    host: String = "127.0.0.1", port: Int = 25, security: Security = .startTLSIfOffered,
    tls: TLSConfiguration = .makeClientConfiguration(), serverName: String? = nil,
    credentials: (username: String, password: String)? = nil, allowsPlaintextAuthentication: Bool = false,
    domain: String = "localhost", connectTimeout: Duration = .seconds(10), sessionTimeout: Duration = .seconds(30),
    transactionTimeout: Duration = .seconds(60), maximumIdleConnections: Int = 4, idleTimeout: Duration = .seconds(30)
  ) {
    self.host = host
    self.port = port
    self.security = security
    self.tls = tls
    self.serverName = serverName
    self.credentials = credentials
    self.allowsPlaintextAuthentication = allowsPlaintextAuthentication
    self.domain = domain
    self.connectTimeout = connectTimeout
    self.sessionTimeout = sessionTimeout
    self.transactionTimeout = transactionTimeout
    self.maximumIdleConnections = maximumIdleConnections
    self.idleTimeout = idleTimeout
  }
}
