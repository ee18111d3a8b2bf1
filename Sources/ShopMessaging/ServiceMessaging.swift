import AMQPClient
import Logging
import PostgresNIO

/// A service's link to the event backbone: its broker connection, which reconnects on its
/// own, and the relay of its outbox. Both are services to run, the relay once the database is
/// migrated.
public struct ServiceMessaging: Sendable {
  public let connection: AMQPConnection
  public let relay: OutboxRelay

  public init(service: String, client: PostgresClient, configuration: MessagingConfiguration, logger: Logger) throws {
    connection = AMQPConnection(configuration: try configuration.amqpConfiguration(name: service), logger: logger)
    relay = OutboxRelay(
      service: service, client: client, amqp: connection, options: configuration.relay, logger: logger)
  }

  /// Throws while the broker is not connected. The service keeps working, its events wait
  /// in the outbox, so this degrades its health rather than taking it down.
  public func checkBroker() throws(MessagingError) {
    guard connection.isConnected else { throw MessagingError(.brokerUnavailable, "not connected to the broker") }
  }
}
