import AMQPProtocol
import NIOSSL

/// Where the broker is and how the client talks to it.
public struct AMQPConfiguration: Sendable {
  /// The broker's host name or address.
  public var host: String
  /// The broker's port: 5672, or 5671 with TLS.
  public var port: Int
  /// The user name for PLAIN authentication.
  public var username: String
  /// The password for PLAIN authentication.
  public var password: String
  /// The virtual host to open.
  public var virtualHost: String
  /// TLS settings; `nil` for a plain TCP connection.
  public var tls: TLSConfiguration?
  /// The name checked against the broker's certificate; the host when `nil`.
  public var tlsServerName: String?
  /// The heartbeat interval the client asks for; the broker's proposal wins when it is smaller.
  /// Zero turns heartbeats off, which leaves a silent broker undetected until TCP notices.
  /// The default, 10 s, is within RabbitMQ's advice of 5 to 20 s: a frozen broker is given up
  /// after 15 s, where the broker's own 60 s would hide it for a minute and a half.
  public var heartbeat: Duration
  /// How long connecting, including the AMQP handshake, may take.
  public var connectionTimeout: Duration
  /// The largest frame the client accepts and sends; the broker's limit wins when it is smaller.
  public var frameMax: UInt32
  /// The most channels the client opens; the broker's limit wins when it is smaller.
  public var channelMax: UInt16
  /// The name shown for this connection in the management UI (`connection_name`).
  public var connectionName: String?
  /// How long an operation waits for its answer, and for the connection to come back when it
  /// is recovering, unless the call gives its own timeout.
  public var operationTimeout: Duration
  /// Whether a lost connection is re-established with channels, topology and consumers.
  public var automaticRecovery: Bool
  /// The delay before the first reconnection attempt, doubling (with jitter) up to `maximum`.
  public var recoveryBackoff: (initial: Duration, maximum: Duration)
  /// How long graceful shutdown waits for publishes in flight to be confirmed.
  public var shutdownTimeout: Duration

  /// Creates a configuration; every value has a default suited to a local broker.
  public init(
    host: String = "127.0.0.1", port: Int? = nil, username: String = "guest", password: String = "guest",
    virtualHost: String = "/", tls: TLSConfiguration? = nil, tlsServerName: String? = nil,
    heartbeat: Duration = .seconds(10), connectionTimeout: Duration = .seconds(10), frameMax: UInt32 = 131_072,
    channelMax: UInt16 = 2047, connectionName: String? = nil, operationTimeout: Duration = .seconds(30),
    automaticRecovery: Bool = true,
    recoveryBackoff: (initial: Duration, maximum: Duration) = (.milliseconds(100), .seconds(5)),
    shutdownTimeout: Duration = .seconds(5)
  ) {
    self.host = host
    self.port = port ?? (tls == nil ? 5672 : 5671)
    self.username = username
    self.password = password
    self.virtualHost = virtualHost
    self.tls = tls
    self.tlsServerName = tlsServerName
    self.heartbeat = heartbeat
    self.connectionTimeout = connectionTimeout
    self.frameMax = max(frameMax, AMQPFrame.minimumFrameSize)
    self.channelMax = max(channelMax, 1)
    self.connectionName = connectionName
    self.operationTimeout = operationTimeout
    self.automaticRecovery = automaticRecovery
    self.recoveryBackoff = recoveryBackoff
    self.shutdownTimeout = shutdownTimeout
  }
}
