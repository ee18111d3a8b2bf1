import AMQPClient
import Foundation
import GRPCCore
import Hummingbird
import Logging
import Prometheus
import RedisClient
import ServiceLifecycle
import ShopAdmin
import ShopAuth
import ShopConfiguration
import ShopContracts
import ShopDiscovery
import ShopMessaging
import ShopRPC

/// Builds the gateway: the public router with its middleware, and the services the process
/// runs (the connections to each upstream instance and the HTTP server).
public enum GatewayApp {
  public static let name = "gateway"

  public typealias UserClient<Transport: ClientTransport> = Shop_User_V1_UserService.Client<Transport>
  public typealias ProductClient<Transport: ClientTransport> = Shop_Product_V1_ProductService.Client<Transport>
  public typealias OrderClient<Transport: ClientTransport> = Shop_Order_V1_OrderService.Client<Transport>
  public typealias NotificationClient<Transport: ClientTransport> =
    Shop_Notification_V1_NotificationService.Client<Transport>

  /// The router alone, over upstreams of any gRPC transport (tests use the in-process one).
  public static func router<Transport: ClientTransport>(
    configuration: GatewayConfiguration,
    users: Upstream<UserClient<Transport>>,
    products: Upstream<ProductClient<Transport>>,
    orders: Upstream<OrderClient<Transport>>,
    notifications: Upstream<NotificationClient<Transport>>,
    updates: OrderUpdates = OrderUpdates(),
    checks: [HealthCheck] = [],
    limiter: RateLimiter = RateLimiter(redis: nil, logger: Logger(label: "shop.gateway")),
    redis: RedisClient? = nil,
    registry: PrometheusCollectorRegistry
  ) throws -> Router<GatewayRequestContext> {
    let openAPI = ByteBuffer(string: try OpenAPIDocument.load())
    let verifier = AccessTokenVerifier(issuer: configuration.issuer, audience: configuration.audience) {
      try await fetchJWKS(users)
    }
    // Each upstream is probed with its own deadline, on one of its instances in turn.
    let health = HealthMonitor(
      service: name,
      checks: [
        HealthCheck(name: "user", impact: .degrading, timeout: .seconds(1)) {
          _ = try await users.once { try await $0.getJWKS(Shop_User_V1_Empty(), options: $1) }
        },
        HealthCheck(name: "product", impact: .degrading, timeout: .seconds(1)) {
          _ = try await products.once { try await $0.listCategories(.init(), options: $1) }
        },
        // Without a token the order service refuses the call, which shows it answers.
        HealthCheck(name: "order", impact: .degrading, timeout: .seconds(1)) {
          do {
            _ = try await orders.once { try await $0.getCart(.init(), options: $1) }
          } catch let error as RPCError where error.code == .unauthenticated {}
        },
        HealthCheck(name: "notification", impact: .degrading, timeout: .seconds(1)) {
          _ = try await notifications.once { try await $0.getVapidPublicKey(.init(), options: $1) }
        },
      ] + checks
    )

    let router = Router(context: GatewayRequestContext.self)
    let routes = RouteTable()
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: EdgeMiddleware(routes: routes, trustedProxies: configuration.trustedProxies))
    router.add(middleware: APITracingMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(
      middleware: RateLimitMiddleware(limiter: limiter, policies: configuration.rateLimits, verifier: verifier))
    router.addOperationsRoutes(health: health, registry: registry)
    router.get("/.well-known/jwks.json") { _, _ in
      let document = try await fetchJWKS(users)
      var response = try JSONIO.response(.ok, document)
      response.headers[.cacheControl] = "public, max-age=300"
      return response
    }
    router.get("/openapi.yaml") { _, _ in
      Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: openAPI))
    }
    let api = router.group("/api/v1")
    let auth = BearerAuthMiddleware(verifier: verifier)
    UserRoutes(upstream: users, maxBodyBytes: configuration.maxBodyBytes).add(to: api, auth: auth)
    CatalogRoutes(
      upstream: products, maxBodyBytes: configuration.maxBodyBytes,
      cache: ProductReadCache(redis: redis, ttl: configuration.readCacheTTL, logger: Logger(label: "shop.gateway"))
    ).add(to: api, auth: auth)
    CartRoutes(upstream: orders, maxBodyBytes: configuration.maxBodyBytes).add(to: api, auth: auth)
    OrderRoutes(upstream: orders, maxBodyBytes: configuration.maxBodyBytes).add(to: api, auth: auth)
    OrderEventRoutes(upstream: orders, updates: updates, keepAliveInterval: configuration.eventsKeepAlive)
      .add(to: api.group("orders").add(middleware: auth))
    NotificationRoutes(upstream: notifications, maxBodyBytes: configuration.maxBodyBytes).add(to: api, auth: auth)
    OverviewRoutes(
      users: users, orders: orders, notifications: notifications, partDeadline: configuration.overviewPartDeadline
    )
    .add(to: api, auth: auth)
    routes.load(router.routes)
    return router
  }

  public static func services(
    configuration: GatewayConfiguration, registry: PrometheusCollectorRegistry, logger: Logger
  ) throws -> [any Service] {
    let users = try configuration.user.connect(name: "user", security: configuration.security) {
      UserClient(wrapping: $0)
    }
    let products = try configuration.product.connect(name: "product", security: configuration.security) {
      ProductClient(wrapping: $0)
    }
    let orders = try configuration.order.connect(name: "order", security: configuration.security) {
      OrderClient(wrapping: $0)
    }
    let notifications = try configuration.notification.connect(
      name: "notification", security: configuration.security
    ) { NotificationClient(wrapping: $0) }
    let broker = AMQPConnection(
      configuration: try configuration.messaging.amqpConfiguration(name: name), logger: logger)
    let updates = OrderUpdates()
    // Live updates wait while the broker is away; everything else goes on.
    let brokerCheck = HealthCheck(name: "rabbitmq", impact: .degrading) {
      guard broker.isConnected else { throw MessagingError(.brokerUnavailable, "not connected to the broker") }
    }
    // The gateway's checks all degrade: it is always ready for the requests it can answer.
    let registration = configuration.discovery?.registration(
      role: name, host: configuration.host, port: configuration.port, adminPort: configuration.port, logger: logger)
    // Short timeouts: with Redis away, rate limits are decided locally at once instead, and
    // product reads are not kept.
    var redisConfiguration = try RedisConfiguration(url: configuration.redisURL)
    redisConfiguration.clientName = "gateway-\(configuration.port)"
    redisConfiguration.leaseTimeout = .milliseconds(50)
    redisConfiguration.commandTimeout = .milliseconds(200)
    redisConfiguration.connectTimeout = .milliseconds(200)
    let redis = RedisClient(configuration: redisConfiguration, logger: logger)
    let router = try router(
      configuration: configuration, users: users.upstream, products: products.upstream, orders: orders.upstream,
      notifications: notifications.upstream, updates: updates,
      checks: [brokerCheck] + (registration.map { [$0.healthCheck] } ?? []),
      limiter: RateLimiter(redis: redis, logger: logger), redis: redis, registry: registry)
    let app = Application(
      router: router,
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port), serverName: "swiftshop-gateway",
        backlog: 4096),
      logger: logger
    )
    // A queue of this instance's own, so that every instance sees every change.
    let feed = OrderStatusFeed(
      connection: broker, updates: updates,
      queue: "gateway.order-updates.\(configuration.port).\(UUID().uuidString.prefix(8).lowercased())", logger: logger)
    // Shut down in reverse: the feed first, which ends the event streams, so that the HTTP
    // server's drain is not held up by them.
    return users.connections + products.connections + orders.connections + notifications.connections
      + [redis, broker, app, feed] + (registration.map { [$0] } ?? [])
  }

  private static func fetchJWKS<T>(_ users: Upstream<UserClient<T>>) async throws -> JWKSDocument {
    let message = try await users.idempotent { try await $0.getJWKS(Shop_User_V1_Empty(), options: $1) }
    return try JWKSDocument.parse(message.json)
  }
}

/// The OpenAPI 3.1 description of the public API, bundled with the gateway.
enum OpenAPIDocument {
  /// The bundled document; a build without it is broken, so the gateway refuses to start
  /// rather than serve an empty description.
  static func load(from bundle: Bundle = .module) throws -> String {
    guard let url = bundle.url(forResource: "openapi", withExtension: "yaml") else {
      throw ConfigurationError("the OpenAPI document openapi.yaml is not bundled with the gateway")
    }
    return try String(contentsOf: url, encoding: .utf8)
  }
}
