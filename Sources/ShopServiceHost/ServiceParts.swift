import GRPCCore
import ServiceLifecycle
import ShopAdmin
import ShopAuth
import ShopMessaging
import ShopRPC

/// What a service adds to the host's assembly. Everything here starts once the database is
/// migrated and stops before the shared clients do.
public struct ServiceParts: Sendable {
  /// Served on the service's gRPC listener.
  public var rpcServices: [any RegistrableRPCService]
  /// Who may call each of their methods.
  public var accessPolicy: AccessPolicy
  /// Where the keys of access tokens come from; the user service by default, which passes
  /// its own.
  public var tokenKeys: AccessTokenVerifier.KeyFetcher?
  /// Its event consumers, each on its own queue.
  public var consumers: [EventConsumer]
  /// Checks of its own dependencies, beside the host's `postgres` and `rabbitmq`.
  public var healthChecks: [HealthCheck]
  /// Other long-lived work (sweepers, dispatchers, recovery loops), started after the gRPC
  /// server and stopped before it.
  public var services: [any Service]

  public init(
    rpcServices: [any RegistrableRPCService], accessPolicy: AccessPolicy,
    tokenKeys: AccessTokenVerifier.KeyFetcher? = nil, consumers: [EventConsumer] = [],
    healthChecks: [HealthCheck] = [], services: [any Service] = []
  ) {
    self.rpcServices = rpcServices
    self.accessPolicy = accessPolicy
    self.tokenKeys = tokenKeys
    self.consumers = consumers
    self.healthChecks = healthChecks
    self.services = services
  }
}
