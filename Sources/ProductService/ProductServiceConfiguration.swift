import Configuration
import ShopMessaging
import ShopPersistence

/// Everything `shop serve product` reads, with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `grpc.host`, `grpc.port` | `127.0.0.1`, `50052` | gRPC listener |
/// | `admin.host`, `admin.port` | `127.0.0.1`, `3002` | health and metrics listener |
/// | `database.*` | see `DatabaseConfiguration`, name `products` | PostgreSQL |
/// | `amqp.*`, `events.*` | see `MessagingConfiguration` | the broker and the outbox relay |
/// | `reservations.sweepIntervalSeconds` | `5` | how often expired reservations are released |
/// | `search.typoThreshold` | `0.3` | trigram similarity a catalog word needs to replace a misspelt query word |
public struct ProductServiceConfiguration: Sendable {
  public var grpcHost: String
  public var grpcPort: Int
  public var adminHost: String
  public var adminPort: Int
  public var database: DatabaseConfiguration
  public var messaging: MessagingConfiguration
  public var sweepInterval: Duration
  public var typoThreshold: Double

  public init(config: ConfigReader) {
    grpcHost = config.string(forKey: "grpc.host", default: "127.0.0.1")
    grpcPort = config.int(forKey: "grpc.port", default: 50052)
    adminHost = config.string(forKey: "admin.host", default: "127.0.0.1")
    adminPort = config.int(forKey: "admin.port", default: 3002)
    database = DatabaseConfiguration(config: config, defaultName: "products")
    messaging = MessagingConfiguration(config: config)
    sweepInterval = .seconds(config.int(forKey: "reservations.sweepIntervalSeconds", default: 5))
    typoThreshold = config.double(forKey: "search.typoThreshold", default: 0.3)
  }
}
