import Configuration
import GRPCCore
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ShopAdmin
import ShopAuth
import ShopContracts
import ShopDiscovery
import ShopMessaging
import ShopPersistence
import ShopRPC

/// Assembles a service from its declaration: the PostgreSQL client, the broker connection
/// and the outbox relay (for a service with events), the admin server with health, metrics
/// and any HTTP routes of the service, migrations at start, the gRPC server with the
/// service's RPC services (when it has any), its consumers and its own long-lived services.
///
/// The result is one `ServiceGroup` in dependency order, so shutdown runs in reverse: the
/// service's own work and the gRPC server stop first, then the relay, the admin server, the
/// broker connection and last the database client.
///
/// ```
/// ServiceGroup
/// ├─ PostgresClient
/// ├─ AMQPConnection (with events)
/// ├─ the user service's connections, for token keys (with gRPC, not in the user service)
/// ├─ admin server (/health, /metrics, the service's HTTP routes)
/// └─ migrations, then ServiceGroup
///    ├─ outbox relay (with events)
///    ├─ gRPC server (with RPC services)
///    ├─ consumers
///    ├─ the service's own services
///    └─ the registration in etcd (with discovery), so that it is the first to go
/// ```
public enum ServiceHost {
  /// The service's group, to run beside the process's observability services.
  public static func group<Declaration: ServiceDeclaration>(
    _ declaration: Declaration.Type, config: ConfigReader, registry: PrometheusCollectorRegistry, logger: Logger
  ) async throws -> ServiceGroup {
    let service = try Declaration(config: config)
    let configuration = try ServiceHostConfiguration(
      config: config, name: Declaration.name, defaults: Declaration.defaults)
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
    let messaging =
      Declaration.usesEvents
      ? try ServiceMessaging(
        service: Declaration.name, client: postgres, configuration: configuration.messaging, logger: logger) : nil
    let resources = ServiceResources(
      postgres: postgres, messaging: messaging, configuration: configuration, logger: logger)
    let parts = try await service.parts(resources)

    var checks = [
      HealthCheck(name: "postgres", impact: .critical) { try await postgres.query("SELECT 1", logger: logger) }
    ]
    var shared: [any Service] = [postgres]
    var serving: [any Service] = []
    if let messaging {
      // Without the broker, state changes still commit; their events wait in the outbox.
      checks.append(HealthCheck(name: "rabbitmq", impact: .degrading) { try messaging.checkBroker() })
      shared.append(messaging.connection)
      serving.append(messaging.relay)
    }
    if !parts.rpcServices.isEmpty {
      let (tokenKeys, keyConnections) = try tokenKeySource(parts, configuration: configuration)
      let verifier = AccessTokenVerifier(
        issuer: configuration.tokenIssuer, audience: configuration.tokenAudience, fetchKeys: tokenKeys)
      shared += keyConnections
      serving.append(
        RPCServerService(
          host: configuration.grpcHost, port: configuration.grpcPort, security: configuration.security,
          services: parts.rpcServices,
          authentication: CallerAuthenticationInterceptor(policy: parts.accessPolicy) { token in
            try await Self.verify(token, with: verifier)
          },
          logger: logger))
    }
    checks += parts.healthChecks
    let registration = configuration.discovery.map { discovery in
      // Ready while no critical check fails; the registry's own check only degrades.
      let readiness = HealthMonitor(service: Declaration.name, checks: checks)
      return discovery.registration(
        role: Declaration.name, host: parts.rpcServices.isEmpty ? configuration.adminHost : configuration.grpcHost,
        port: parts.rpcServices.isEmpty ? configuration.adminPort : configuration.grpcPort,
        adminPort: configuration.adminPort, logger: logger
      ) { await readiness.report().status != .down }
    }
    if let registration { checks.append(registration.healthCheck) }
    let health = HealthMonitor(service: Declaration.name, checks: checks)
    let admin = AdminServer.make(
      host: configuration.adminHost, port: configuration.adminPort, health: health, registry: registry,
      routes: parts.httpRoutes, logger: logger)
    serving += parts.consumers.map { $0 as any Service } + parts.services
    if let registration { serving.append(registration) }
    // A group of nothing ends at once, and the host with it: hold it until shutdown instead.
    if serving.isEmpty { serving.append(UntilShutdown()) }
    let migrated = MigratedService(
      database: configuration.database, client: postgres,
      migrator: Migrator(service: Declaration.name, migrations: try Declaration.migrations()), logger: logger,
      then: ServiceGroup(services: serving, logger: logger))
    return ServiceGroup(services: shared + [admin, migrated], logger: logger)
  }

  /// The service's own source of token keys, or the user service's, through a client of its
  /// own that runs with the shared clients.
  private static func tokenKeySource(
    _ parts: ServiceParts, configuration: ServiceHostConfiguration
  ) throws -> (AccessTokenVerifier.KeyFetcher, [any Service]) {
    if let own = parts.tokenKeys { return (own, []) }
    let users = try configuration.user.connect(name: "user", security: configuration.security) {
      Shop_User_V1_UserService.Client(wrapping: $0)
    }
    let upstream = users.upstream
    return (
      {
        let message = try await upstream.idempotent { try await $0.getJWKS(Shop_User_V1_Empty(), options: $1) }
        return try JWKSDocument.parse(message.json)
      }, users.connections
    )
  }

  /// The caller a token names; a token that is not valid is `unauthenticated`, keys that
  /// cannot be had make the call `unavailable` so that the caller retries.
  static func verify(_ token: String, with verifier: AccessTokenVerifier) async throws -> CallerIdentity {
    do {
      let claims = try await verifier.verify(token)
      return CallerIdentity(userID: claims.subject, role: claims.role, token: token)
    } catch let error as AuthError {
      throw RPCError(code: .unauthenticated, message: "the access token is not valid: \(error)")
    } catch {
      throw RPCError(code: .unavailable, message: "the token keys are unavailable: \(error)")
    }
  }
}

/// Runs until the group shuts down.
private struct UntilShutdown: Service {
  func run() async throws { try await gracefulShutdown() }
}
