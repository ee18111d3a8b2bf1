import Foundation
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ShopAdmin
import ShopMessaging
import ShopPersistence
import ShopRPC

/// Builds the product service's processes: its database client, the gRPC server, the
/// reservation sweeper and the admin server.
public enum ProductServiceApp {
  public static let name = "product"

  public static func migrations() throws -> [Migration] {
    guard let url = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
      throw PersistenceError(code: .invalidMigration, message: "the product service's migrations are not bundled")
    }
    return (try Migration.load(from: url) + [try EventSchema.migration(version: 2)]).sorted { $0.version < $1.version }
  }

  /// The client configuration with the session settings search relies on.
  public static func clientConfiguration(
    _ database: DatabaseConfiguration, typoThreshold: Double = 0.3
  ) -> PostgresClient.Configuration {
    var configuration = database.clientConfiguration()
    // How similar a catalog word must be to stand in for a misspelt one (`%`). One swapped
    // pair of letters in a seven-letter word scores 0.33.
    configuration.options.additionalStartupParameters = [
      ("pg_trgm.similarity_threshold", String(typoThreshold))
    ]
    return configuration
  }

  public static func services(
    configuration: ProductServiceConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
  ) throws -> [any Service] {
    let postgres = PostgresClient(
      configuration: clientConfiguration(configuration.database, typoThreshold: configuration.typoThreshold),
      backgroundLogger: logger)
    let messaging = try ServiceMessaging(
      service: name, client: postgres, configuration: configuration.messaging, logger: logger)
    let store = PostgresProductStore(client: postgres, logger: logger)
    let rpc = RPCServerService(
      host: configuration.grpcHost, port: configuration.grpcPort,
      services: [ProductRPCService(catalog: ProductCatalog(store: store))], logger: logger)
    let health = HealthMonitor(
      service: name,
      checks: [
        HealthCheck(name: "postgres", impact: .critical) { try await postgres.query("SELECT 1", logger: logger) },
        // Without the broker, stock changes still commit; their events wait in the outbox.
        HealthCheck(name: "rabbitmq", impact: .degrading) { try messaging.checkBroker() },
      ])
    let admin = AdminServer.make(
      host: configuration.adminHost, port: configuration.adminPort, health: health, registry: registry, logger: logger)
    let migrated = MigratedService(
      database: configuration.database, client: postgres,
      migrator: Migrator(service: name, migrations: try migrations()), logger: logger,
      then: ServingGroup(services: [
        rpc, ReservationSweeper(store: store, interval: configuration.sweepInterval, logger: logger), messaging.relay,
      ]))
    return [postgres, messaging.connection, admin, migrated]
  }
}
