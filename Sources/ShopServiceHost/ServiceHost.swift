import Configuration
import GRPCCore
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ShopAdmin
import ShopAuth
import ShopContracts
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
/// ├─ the user service's connections, for token keys (not in the user service)
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
    let (tokenKeys, keyConnections) = try tokenKeySource(parts, configuration: configuration)
    let verifier = AccessTokenVerifier(
      issuer: configuration.tokenIssuer, audience: configuration.tokenAudience, fetchKeys: tokenKeys)
    let rpc = RPCServerService(
      host: configuration.grpcHost, port: configuration.grpcPort, security: configuration.security,
      services: parts.rpcServices,
      authentication: CallerAuthenticationInterceptor(policy: parts.accessPolicy) { token in
        try await Self.verify(token, with: verifier)
      },
      logger: logger)
    let serving = ServiceGroup(
      services: [messaging.relay, rpc] + parts.consumers.map { $0 as any Service } + parts.services,
      logger: logger)
    let migrated = MigratedService(
      database: configuration.database, client: postgres,
      migrator: Migrator(service: Declaration.name, migrations: try Declaration.migrations()), logger: logger,
      then: serving)
    return ServiceGroup(
      services: [postgres, messaging.connection] + keyConnections + [admin, migrated], logger: logger)
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
