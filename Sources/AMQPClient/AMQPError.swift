/// Why an AMQP operation failed.
///
/// Errors that the broker reports (a channel or connection exception) carry its reply code and
/// text, such as 404 `NOT_FOUND - no queue 'orders'`. ``isRetryable`` tells whether trying the
/// same operation again later may succeed: a publish that failed with a retryable error was not
/// confirmed, so sending it again gives at-least-once delivery.
public struct AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kind of failure; the cases are stable and safe to switch over.
  public enum Code: String, Sendable, Hashable {
    /// The URL or configuration is invalid.
    case invalidConfiguration = "invalid_configuration"
    /// The broker could not be reached, or the handshake did not finish in time.
    case connectionFailed = "connection_failed"
    /// The broker refused the credentials or the virtual host (reply code 403 or 530).
    case authenticationFailed = "authentication_failed"
    /// The connection dropped, or was closed by the broker, while the operation was in flight;
    /// the client reconnects on its own.
    case connectionLost = "connection_lost"
    /// The broker sent nothing, not even a heartbeat, for too long.
    case heartbeatTimeout = "heartbeat_timeout"
    /// The broker closed the connection with a connection exception.
    case connectionClosed = "connection_closed"
    /// The broker closed the channel with a channel exception, such as 404 or 406.
    case channelClosed = "channel_closed"
    /// A `mandatory` message could not be routed to any queue and came back with `basic.return`.
    case messageReturned = "message_returned"
    /// The broker refused responsibility for a message with `basic.nack`.
    case messageNacked = "message_nacked"
    /// The broker cancelled the consumer, for example because its queue was deleted.
    case consumerCancelled = "consumer_cancelled"
    /// The operation did not finish within its timeout, for example while publishing was
    /// blocked by a resource alarm.
    case timeout
    /// The connection was closed by this client, or is shutting down.
    case closed
    /// Every channel number the broker allows is in use.
    case channelLimitReached = "channel_limit_reached"
    /// The broker sent something the protocol does not allow at this point.
    case protocolViolation = "protocol_violation"
  }

  /// The kind of failure.
  public var code: Code
  /// The broker's reply code, for errors the broker reported.
  public var replyCode: UInt16?
  /// The broker's reply text, for errors the broker reported.
  public var replyText: String?
  /// What was going on, for logs; the wording is not stable.
  public var detail: String

  /// Creates an error.
  public init(_ code: Code, replyCode: UInt16? = nil, replyText: String? = nil, detail: String = "") {
    self.code = code
    self.replyCode = replyCode
    self.replyText = replyText
    self.detail = detail
  }

  /// Whether the same operation may succeed when tried again: the connection was lost or timed
  /// out, or the broker answered with a soft error that does not depend on the request.
  public var isRetryable: Bool {
    switch code {
    case .connectionFailed, .connectionLost, .heartbeatTimeout, .timeout, .messageNacked: true
    // 320 connection-forced: the broker is shutting down or an operator closed the connection.
    case .connectionClosed: replyCode == 320
    case .invalidConfiguration, .authenticationFailed, .channelClosed, .messageReturned, .consumerCancelled, .closed,
      .channelLimitReached, .protocolViolation:
      false
    }
  }

  /// A short text naming the code, the broker's reply and the detail, for logs.
  public var description: String {
    var text = "AMQPError(\(code.rawValue)"
    if let replyCode { text += " \(replyCode)" }
    if let replyText { text += " \(replyText)" }
    if !detail.isEmpty { text += ": \(detail)" }
    return text + ")"
  }
}
