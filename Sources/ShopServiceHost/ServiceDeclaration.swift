import Configuration
import PostgresNIO
import ShopPersistence

/// What a service is, handed to ``ServiceHost``: its name and defaults, its migrations, and
/// the parts it adds to what every service has (gRPC services, event consumers, health checks,
/// long-lived services). The host builds the rest.
public protocol ServiceDeclaration: Sendable {
  /// The service's name: the log and metric label, the outbox's `source`, the broker
  /// connection's name.
  static var name: String { get }
  /// Its ports and database name when the configuration names none.
  static var defaults: ServiceDefaults { get }
  /// Every migration of its database, the event schema included, in version order.
  static func migrations() throws -> [Migration]
  /// Whether it publishes or consumes events, and so needs the broker and the outbox relay:
  /// every service but the payment sandbox, which tells others by webhook.
  static var usesEvents: Bool { get }

  /// Reads the service's own configuration keys (the common ones are the host's).
  init(config: ConfigReader) throws

  /// The database client's configuration, given the host's; for session settings a service
  /// relies on.
  func postgresConfiguration(_ base: PostgresClient.Configuration) -> PostgresClient.Configuration

  /// The service's own parts, built on the shared resources.
  func parts(_ resources: ServiceResources) async throws -> ServiceParts
}

extension ServiceDeclaration {
  public static var usesEvents: Bool { true }

  public func postgresConfiguration(_ base: PostgresClient.Configuration) -> PostgresClient.Configuration { base }
}
