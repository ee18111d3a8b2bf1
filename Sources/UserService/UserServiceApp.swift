import Foundation
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ShopAdmin
import ShopAuth
import ShopConfiguration
import ShopMessaging
import ShopPersistence
import ShopRPC

/// Builds the user service's processes: its database client, the gRPC server and the admin
/// server, in the order the service group must run them.
public enum UserServiceApp {
  public static let name = "user"

  public static func migrations() throws -> [Migration] {
    guard let url = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
      throw PersistenceError(code: .invalidMigration, message: "the user service's migrations are not bundled")
    }
    return try Migration.load(from: url) + [try EventSchema.migration(version: 2)]
  }

  public static func services(
    configuration: UserServiceConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
  ) async throws -> [any Service] {
    guard let pem = configuration.signingKeyPEM else {
      throw ConfigurationError("no token signing key: set token.signingKeyFile or token.signingKey")
    }
    let key = try SigningKey(pem: pem)
    let issuer = await AccessTokenIssuer(
      key: key, issuer: configuration.issuer, audience: configuration.audience,
      lifetime: configuration.accessTokenLifetime)
    let postgres = PostgresClient(configuration: configuration.database.clientConfiguration(), backgroundLogger: logger)
    let messaging = try ServiceMessaging(
      service: name, client: postgres, configuration: configuration.messaging, logger: logger)
    let store = PostgresUserStore(client: postgres, logger: logger)
    let accounts = try await UserAccounts(
      store: store,
      hasher: PasswordHasher(cost: UInt8(configuration.bcryptCost)),
      issuer: issuer,
      refreshTokenLifetime: configuration.refreshTokenLifetime,
      throttle: .init(maxFailures: configuration.loginMaxFailures, window: configuration.loginWindow)
    )
    let rpc = RPCServerService(
      host: configuration.grpcHost, port: configuration.grpcPort,
      services: [UserRPCService(accounts: accounts, issuer: issuer)], logger: logger)
    let health = HealthMonitor(
      service: name,
      checks: [
        HealthCheck(name: "postgres", impact: .critical) {
          try await postgres.query("SELECT 1", logger: logger)
        },
        // Without the broker, registrations still commit; their events wait in the outbox.
        HealthCheck(name: "rabbitmq", impact: .degrading) { try messaging.checkBroker() },
      ]
    )
    let admin = AdminServer.make(
      host: configuration.adminHost, port: configuration.adminPort, health: health, registry: registry, logger: logger)
    let migrated = MigratedService(
      database: configuration.database, client: postgres,
      migrator: Migrator(service: name, migrations: try migrations()), logger: logger,
      then: ServingGroup(services: [
        rpc,
        messaging.relay,
      ]))
    return [postgres, messaging.connection, admin, migrated]
  }
}
