/// Errors of the Redis client, each with a stable code.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The server answered with an error reply; the text is the server's.
  case server(String)
  /// The connection closed (or was lost) before the reply arrived. The command may or may
  /// not have run.
  case connectionClosed
  /// No connection could be made to the server.
  case connectionFailed(String)
  /// The command did not complete within its timeout; its connection was closed.
  case timeout
  /// No connection became available within the lease timeout.
  case poolTimeout
  /// The server sent something the client cannot pair with a command.
  case protocolViolation(String)
  /// A reply had another shape than the command promises.
  case unexpectedReply(String)
  /// The client has been shut down.
  case clientClosed

  public var code: String {
    switch self {
    case .server: "server_error"
    case .connectionClosed: "connection_closed"
    case .connectionFailed: "connection_failed"
    case .timeout: "timeout"
    case .poolTimeout: "pool_timeout"
    case .protocolViolation: "protocol_violation"
    case .unexpectedReply: "unexpected_reply"
    case .clientClosed: "client_closed"
    }
  }

  /// True when the command surely did not run, or running it again is harmless for reads:
  /// the failures a caller may retry on another connection.
  public var isConnectionError: Bool {
    switch self {
    case .connectionClosed, .connectionFailed, .timeout, .poolTimeout: true
    default: false
    }
  }

  /// The first word of a server error (`NOSCRIPT`, `WRONGTYPE`, `ERR`…).
  public var serverErrorPrefix: String? {
    guard case .server(let message) = self else { return nil }
    return message.split(separator: " ", maxSplits: 1).first.map(String.init)
  }

  public var description: String {
    switch self {
    case .server(let message): "redis: \(message)"
    case .connectionFailed(let reason): "redis: connection failed: \(reason)"
    case .protocolViolation(let reason): "redis: protocol violation: \(reason)"
    case .unexpectedReply(let reason): "redis: unexpected reply: \(reason)"
    default: "redis: \(code)"
    }
  }
}
