import Configuration
import Foundation
import FulfillmentQueue
import RedisClient
import ShopAdmin
import ShopContracts
import ShopIdempotency
import ShopMessaging
import ShopPersistence
import ShopRPC
import ShopServiceHost
import ShopWebhooks

/// The order service as the service host runs it: carts in Redis and orders in PostgreSQL
/// behind its gRPC service, the checkout saga's runner, and the payment webhook receiver on
/// its admin listener; paid orders' fulfillment jobs dispatched to Redis.
public struct OrderServiceDeclaration: ServiceDeclaration {
  public static let name = "order"
  public static let defaults = ServiceDefaults(grpcPort: 50053, adminPort: 3003, databaseName: "orders")

  public static func migrations() throws -> [Migration] {
    try bundledMigrations(
      in: .module, adding: [try EventSchema.migration(version: 2), try IdempotencySchema.migration(version: 3)])
  }

  public let configuration: OrderServiceConfiguration

  public init(config: ConfigReader) throws {
    configuration = try OrderServiceConfiguration(config: config)
  }

  public func parts(_ resources: ServiceResources) async throws -> ServiceParts {
    let host = resources.configuration
    var redisConfiguration = try RedisConfiguration(url: configuration.redisURL)
    redisConfiguration.clientName = "order"
    redisConfiguration.leaseTimeout = configuration.redisLeaseTimeout
    let redis = RedisClient(configuration: redisConfiguration, logger: resources.logger)
    let products = try configuration.product.connect(name: "product", security: host.security) {
      Shop_Product_V1_ProductService.Client(wrapping: $0)
    }
    let users = try host.user.connect(name: "user", security: host.security) {
      Shop_User_V1_UserService.Client(wrapping: $0)
    }
    let store = PostgresOrderStore(client: resources.postgres, logger: resources.logger)
    let carts = RedisCartStore(redis: redis, idleExpiry: configuration.cartIdleExpiry)
    let inventory = ProductInventory(upstream: products.upstream)
    let runner = SagaRunner(
      store: store, inventory: inventory,
      payments: SandboxPayments(
        baseURL: configuration.paymentURL, timeout: configuration.paymentTimeout, logger: resources.logger),
      carts: carts, vault: CardVault(key: configuration.webhookSecret.derivedKey(for: "order-card-vault")),
      owner: Self.instanceName(port: host.grpcPort), lease: configuration.lease,
      recoveryInterval: configuration.recoveryInterval, reservationTTL: configuration.reservationTTL,
      logger: resources.logger)
    let checkout = Checkout(
      store: store, inventory: inventory, addresses: UserAddressBook(upstream: users.upstream), carts: carts,
      runner: runner, wait: configuration.checkoutWait)
    let webhooks = PaymentWebhookRoutes(
      store: store, signature: WebhookSignature(secret: configuration.webhookSecret), runner: runner)
    let keys = PostgresIdempotencyStore(client: resources.postgres, logger: resources.logger)
    let transitions = OrderTransitions(store: store, runner: runner, wait: configuration.checkoutWait)
    let dispatcher = FulfillmentDispatcher(
      store: store, queue: FulfillmentQueue(redis: redis), interval: configuration.fulfillmentDispatchInterval,
      reenqueueAfter: configuration.fulfillmentReenqueueAfter, logger: resources.logger)
    let completion = AutoCompletion(
      transitions: transitions, after: configuration.autoCompleteAfter,
      interval: configuration.autoCompleteInterval, logger: resources.logger)
    return ServiceParts(
      rpcServices: [
        OrderRPCService(
          carts: carts, inventory: inventory, checkout: checkout, transitions: transitions,
          packing: OrderPacking(store: store), store: store, keys: keys, stuckAfter: configuration.stuckAfter)
      ],
      accessPolicy: OrderRPCService<PostgresOrderStore>.accessPolicy,
      healthChecks: [HealthCheck(name: "redis", impact: .degrading, timeout: .seconds(1)) { try await redis.ping() }],
      services: [redis] + products.connections + users.connections
        + [
          runner, completion, dispatcher,
          StuckOrdersGauge(
            store: store, after: configuration.stuckAfter, interval: .seconds(15), logger: resources.logger),
          RequestedCancellations(
            transitions: transitions, interval: configuration.recoveryInterval, logger: resources.logger),
          IdempotencyKeyPurger(store: keys, logger: resources.logger),
        ],
      httpRoutes: { webhooks.register(on: $0) })
  }

  /// This process, as saga leases name it: unique per start, so that a restarted instance
  /// takes its own old sagas over like any other's.
  static func instanceName(port: Int) -> String {
    let pid = ProcessInfo.processInfo.processIdentifier
    return "order:\(port):\(pid):\(UUID().uuidString.prefix(8).lowercased())"
  }
}
