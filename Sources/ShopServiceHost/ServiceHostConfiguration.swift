import Configuration
import ShopMessaging
import ShopPersistence

/// The configuration every service reads, the same keys for each (README, Configuration):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `grpc.host`, `grpc.port` | `127.0.0.1`, the service's | gRPC listener |
/// | `admin.host`, `admin.port` | `127.0.0.1`, the service's | health and metrics listener |
/// | `database.*` | see `DatabaseConfiguration`, the service's database | PostgreSQL |
/// | `amqp.*`, `events.*` | see `MessagingConfiguration` | the broker and the outbox relay |
public struct ServiceHostConfiguration: Sendable {
  public var grpcHost: String
  public var grpcPort: Int
  public var adminHost: String
  public var adminPort: Int
  public var database: DatabaseConfiguration
  public var messaging: MessagingConfiguration

  public init(config: ConfigReader, defaults: ServiceDefaults) {
    grpcHost = config.string(forKey: "grpc.host", default: "127.0.0.1")
    grpcPort = config.int(forKey: "grpc.port", default: defaults.grpcPort)
    adminHost = config.string(forKey: "admin.host", default: "127.0.0.1")
    adminPort = config.int(forKey: "admin.port", default: defaults.adminPort)
    database = DatabaseConfiguration(config: config, defaultName: defaults.databaseName)
    messaging = MessagingConfiguration(config: config)
  }
}
