import Configuration
import ShopDiscovery
import ShopMessaging
import ShopPersistence
import ShopRPC

/// The configuration every service reads, the same keys for each (README, Configuration):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `grpc.host`, `grpc.port` | `127.0.0.1`, the service's | gRPC listener |
/// | `admin.host`, `admin.port` | `127.0.0.1`, the service's | health and metrics listener |
/// | `database.*` | see `DatabaseConfiguration`, the service's database | PostgreSQL |
/// | `amqp.*`, `events.*` | see `MessagingConfiguration` | the broker and the outbox relay |
/// | `tls.*` | see `RPCSecurity` | mutual TLS of the gRPC server and clients, the certificate named after the service |
/// | `token.issuer`, `token.audience` | `swiftshop`, `swiftshop-api` | the access tokens the service accepts |
/// | `user.address`, `user.timeoutMs` | `127.0.0.1:50051`, `2000` | where the token keys come from (see `UpstreamConfiguration`) |
/// | `discovery.*` | no registry | where the instance registers (see `DiscoveryConfiguration`) |
public struct ServiceHostConfiguration: Sendable {
  public var grpcHost: String
  public var grpcPort: Int
  public var adminHost: String
  public var adminPort: Int
  public var database: DatabaseConfiguration
  public var messaging: MessagingConfiguration
  public var security: RPCSecurity
  public var tokenIssuer: String
  public var tokenAudience: String
  public var user: UpstreamConfiguration
  public var discovery: DiscoveryConfiguration?

  public init(config: ConfigReader, name: String, defaults: ServiceDefaults) throws {
    grpcHost = config.string(forKey: "grpc.host", default: "127.0.0.1")
    grpcPort = config.int(forKey: "grpc.port", default: defaults.grpcPort)
    adminHost = config.string(forKey: "admin.host", default: "127.0.0.1")
    adminPort = config.int(forKey: "admin.port", default: defaults.adminPort)
    database = DatabaseConfiguration(config: config, defaultName: defaults.databaseName)
    messaging = MessagingConfiguration(config: config)
    security = try RPCSecurity(config: config, identity: name)
    tokenIssuer = config.string(forKey: "token.issuer", default: "swiftshop")
    tokenAudience = config.string(forKey: "token.audience", default: "swiftshop-api")
    user = try UpstreamConfiguration(config: config, name: "user", defaultAddress: "127.0.0.1:50051")
    discovery = DiscoveryConfiguration(config: config)
  }
}
