import Configuration
import Logging
import PostgresNIO
import ShopMessaging

/// The shared clients the host made for a service, for its parts to use.
public struct ServiceResources: Sendable {
  public let postgres: PostgresClient
  /// The broker connection and outbox relay; nil for a service that declares no events.
  public let messaging: ServiceMessaging?
  public let configuration: ServiceHostConfiguration
  public let logger: Logger

  /// A consumer of `routingKeys` on the queue `queue`, reading and writing the service's
  /// database through its inbox.
  public func consumer(
    queue: String, routingKeys: [String], options: EventConsumer.Options = EventConsumer.Options(),
    handler: @escaping EventConsumer.Handler
  ) -> EventConsumer {
    guard let messaging else { preconditionFailure("a service with consumers declares usesEvents") }
    return EventConsumer(
      queue: queue, routingKeys: routingKeys, client: postgres, amqp: messaging.connection, options: options,
      logger: logger, handler: handler)
  }
}
