import GRPCCore
import ServiceLifecycle
import ShopAdmin
import ShopMessaging

/// What a service adds to the host's assembly. Everything here starts once the database is
/// migrated and stops before the shared clients do.
public struct ServiceParts: Sendable {
  /// Served on the service's gRPC listener.
  public var rpcServices: [any RegistrableRPCService]
  /// Its event consumers, each on its own queue.
  public var consumers: [EventConsumer]
  /// Checks of its own dependencies, beside the host's `postgres` and `rabbitmq`.
  public var healthChecks: [HealthCheck]
  /// Other long-lived work (sweepers, dispatchers, recovery loops), started after the gRPC
  /// server and stopped before it.
  public var services: [any Service]

  public init(
    rpcServices: [any RegistrableRPCService], consumers: [EventConsumer] = [], healthChecks: [HealthCheck] = [],
    services: [any Service] = []
  ) {
    self.rpcServices = rpcServices
    self.consumers = consumers
    self.healthChecks = healthChecks
    self.services = services
  }
}
