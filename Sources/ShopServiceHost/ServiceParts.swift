import GRPCCore
import Hummingbird
import ServiceLifecycle
import ShopAdmin
import ShopAuth
import ShopMessaging
import ShopRPC

/// What a service adds to the host's assembly. Everything here starts once the database is
/// migrated and stops before the shared clients do.
public struct ServiceParts: Sendable {
  /// Served on the service's gRPC listener; without any, the service has no gRPC listener.
  public var rpcServices: [any RegistrableRPCService]
  /// Who may call each of their methods.
  public var accessPolicy: AccessPolicy
  /// Where the keys of access tokens come from; the user service by default, which passes
  /// its own.
  public var tokenKeys: AccessTokenVerifier.KeyFetcher?
  /// Its event consumers, each on its own queue.
  public var consumers: [EventConsumer]
  /// Checks of its own dependencies, beside the host's `postgres` and (with events) `rabbitmq`.
  public var healthChecks: [HealthCheck]
  /// Other long-lived work (sweepers, dispatchers, recovery loops), started after the gRPC
  /// server and stopped before it.
  public var services: [any Service]
  /// Routes served on the admin listener beside `/health` and `/metrics`: the API of a
  /// service that speaks HTTP (the payment sandbox).
  public var httpRoutes: (@Sendable (Router<BasicRequestContext>) -> Void)?

  public init(
    rpcServices: [any RegistrableRPCService], accessPolicy: AccessPolicy,
    tokenKeys: AccessTokenVerifier.KeyFetcher? = nil, consumers: [EventConsumer] = [],
    healthChecks: [HealthCheck] = [], services: [any Service] = [],
    httpRoutes: (@Sendable (Router<BasicRequestContext>) -> Void)? = nil
  ) {
    self.rpcServices = rpcServices
    self.accessPolicy = accessPolicy
    self.tokenKeys = tokenKeys
    self.consumers = consumers
    self.healthChecks = healthChecks
    self.services = services
    self.httpRoutes = httpRoutes
  }

  /// The parts of a service that speaks HTTP only: its routes and its own work, no RPC
  /// services (so no method is accepted) and no consumers.
  public init(
    httpRoutes: @escaping @Sendable (Router<BasicRequestContext>) -> Void, healthChecks: [HealthCheck] = [],
    services: [any Service] = []
  ) {
    self.init(
      rpcServices: [], accessPolicy: AccessPolicy(service: .init(fullyQualifiedService: "none"), rules: [:]),
      healthChecks: healthChecks, services: services, httpRoutes: httpRoutes)
  }
}
