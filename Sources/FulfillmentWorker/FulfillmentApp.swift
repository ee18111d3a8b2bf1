import FulfillmentQueue
import GRPCCore
import Logging
import Prometheus
import RedisClient
import ServiceLifecycle
import ShopAdmin
import ShopContracts
import ShopDiscovery
import ShopRPC

/// `shop serve fulfillment`: the Redis client, the connection to the order service, the
/// worker, and the admin listener with `/health` (Redis and the order service, each
/// degrading: the worker waits for them) and `/metrics`.
public enum FulfillmentApp {
  public static let name = "fulfillment"

  public static func services(
    configuration: FulfillmentConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
  ) throws -> [any Service] {
    var redisConfiguration = try RedisConfiguration(url: configuration.redisURL)
    redisConfiguration.clientName = configuration.consumer
    let redis = RedisClient(configuration: redisConfiguration, logger: logger)
    let orders = try configuration.order.connect(name: "order", security: configuration.security) {
      Shop_Order_V1_OrderService.Client(wrapping: $0)
    }
    let worker = FulfillmentWorker(
      queue: FulfillmentQueue(redis: redis), report: OrderServicePackingReport(upstream: orders.upstream),
      options: .init(
        consumer: configuration.consumer, claimIdle: configuration.claimIdle, maxAttempts: configuration.maxAttempts,
        batch: configuration.batch, warehouses: configuration.warehouses, holdBeforeAck: configuration.holdBeforeAck),
      logger: logger)
    let upstream = orders.upstream
    // The worker takes no calls: it is registered, ready, for its admin listener to be found.
    let registration = configuration.discovery?.registration(
      role: name, host: configuration.adminHost, port: configuration.adminPort, adminPort: configuration.adminPort,
      logger: logger)
    let health = HealthMonitor(
      service: name,
      checks: [
        HealthCheck(name: "redis", impact: .degrading, timeout: .seconds(1)) { try await redis.ping() },
        // A report of an order that does not exist is refused, which shows the service answers.
        HealthCheck(name: "order", impact: .degrading, timeout: .seconds(1)) {
          do {
            var probe = Shop_Order_V1_PackOrderRequest()
            probe.orderID = "health"
            _ = try await upstream.once { try await $0.packOrder(probe, options: $1) }
          } catch let error as RPCError where error.code == .notFound {}
        },
      ] + (registration.map { [$0.healthCheck] } ?? []))
    let admin = AdminServer.make(
      host: configuration.adminHost, port: configuration.adminPort, health: health, registry: registry,
      logger: logger)
    return [redis] + orders.connections + [admin, worker] + (registration.map { [$0] } ?? [])
  }
}
