/// Something that happened to a connection, from ``AMQPConnection/events``.
public enum AMQPConnectionEvent: Sendable, Equatable {
  /// The first connection is open.
  case connected
  /// The connection was lost, for the given reason; recovery begins when it is turned on.
  case disconnected(AMQPError)
  /// A new connection is open, with channels, topology and consumers restored.
  case recovered
  /// The broker stopped accepting publishes (`connection.blocked`), for example because of a
  /// memory or disk alarm.
  case blocked(reason: String)
  /// The broker accepts publishes again (`connection.unblocked`).
  case unblocked
}
