import Configuration
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ShopAdmin
import ShopMessaging
import ShopPersistence
import ShopRPC

/// Assembles a service from its declaration: the PostgreSQL client, the broker connection
/// and the outbox relay, the admin server with health and metrics, migrations at start, the
/// gRPC server with the service's RPC services, its consumers and its own long-lived services.
///
/// The result is one `ServiceGroup` in dependency order, so shutdown runs in reverse: the
/// service's own work and the gRPC server stop first, then the relay, the admin server, the
/// broker connection and last the database client.
///
/// ```
/// ServiceGroup
/// ├─ PostgresClient
/// ├─ AMQPConnection
/// ├─ admin server (/health, /metrics)
/// └─ migrations, then ServiceGroup
///    ├─ outbox relay
///    ├─ gRPC server
///    ├─ consumers
///    └─ the service's own services
/// ```
public enum ServiceHost {
  /// The service's group, to run beside the process's observability services.
  public static func group<Declaration: ServiceDeclaration>(
    _ declaration: Declaration.Type, config: ConfigReader, registry: PrometheusCollectorRegistry, logger: Logger
  ) async throws -> ServiceGroup {
    let service = try Declaration(config: config)
    let configuration = ServiceHostConfiguration(config: config, defaults: Declaration.defaults)
    return try await group(service, configuration: configuration, registry: registry, logger: logger)
  }

  /// The group of an already configured service.
  public static func group<Declaration: ServiceDeclaration>(
    _ service: Declaration, configuration: ServiceHostConfiguration, registry: PrometheusCollectorRegistry,
    logger: Logger
  ) async throws -> ServiceGroup {
    let postgres = PostgresClient(
      configuration: service.postgresConfiguration(configuration.database.clientConfiguration()),
      backgroundLogger: logger)
    let messaging = try ServiceMessaging(
      service: Declaration.name, client: postgres, configuration: configuration.messaging, logger: logger)
    let resources = ServiceResources(
      postgres: postgres, messaging: messaging, configuration: configuration, logger: logger)
    let parts = try await service.parts(resources)

    let health = HealthMonitor(
      service: Declaration.name,
      checks: [
        HealthCheck(name: "postgres", impact: .critical) { try await postgres.query("SELECT 1", logger: logger) },
        // Without the broker, state changes still commit; their events wait in the outbox.
        HealthCheck(name: "rabbitmq", impact: .degrading) { try messaging.checkBroker() },
      ] + parts.healthChecks)
    let admin = AdminServer.make(
      host: configuration.adminHost, port: configuration.adminPort, health: health, registry: registry,
      logger: logger)
    let rpc = RPCServerService(
      host: configuration.grpcHost, port: configuration.grpcPort, services: parts.rpcServices, logger: logger)
    let serving = ServiceGroup(
      services: [messaging.relay, rpc] + parts.consumers.map { $0 as any Service } + parts.services,
      logger: logger)
    let migrated = MigratedService(
      database: configuration.database, client: postgres,
      migrator: Migrator(service: Declaration.name, migrations: try Declaration.migrations()), logger: logger,
      then: serving)
    return ServiceGroup(services: [postgres, messaging.connection, admin, migrated], logger: logger)
  }
}
