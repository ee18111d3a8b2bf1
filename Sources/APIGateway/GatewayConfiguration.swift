import Configuration
import Foundation
import ShopConfiguration
import ShopDiscovery
import ShopMessaging
import ShopRPC

/// Everything `shop serve gateway` reads, with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `http.host`, `http.port` | `127.0.0.1`, `8081` | public REST listener (the admin paths are served here too) |
/// | `user.address`, `user.timeoutMs` | `127.0.0.1:50051`, `2000` | the user service (see `UpstreamConfiguration`) |
/// | `product.address`, `product.timeoutMs` | `127.0.0.1:50052`, `2000` | the product service |
/// | `order.address`, `order.timeoutMs` | `127.0.0.1:50053`, `8000` | the order service; placing an order waits up to `checkout.waitMs` for its saga |
/// | `notification.address`, `notification.timeoutMs` | `127.0.0.1:50054`, `2000` | the notification service |
/// | `token.issuer`, `token.audience` | `swiftshop`, `swiftshop-api` | expected `iss` and `aud` |
/// | `http.maxBodyBytes` | `1048576` | larger request bodies answer 413 |
/// | `tls.*` | see `RPCSecurity` | mutual TLS to the services, with the certificate `gateway` |
/// | `http.trustedProxies` | `127.0.0.1,::1` | peers whose `X-Forwarded-For` names the client (the edge proxies) |
/// | `amqp.url` | see `MessagingConfiguration` | the broker, for the live order updates |
/// | `orders.eventsKeepAliveMs` | `15000` | how often an order's event stream sends a comment line |
/// | `overview.partTimeoutMs` | `1000` | the deadline of each part of `/me/overview` |
/// | `redis.url` | `redis://127.0.0.1:6379` | the rate limits shared by every gateway instance |
/// | `rateLimit.userQuota` / `rateLimit.clientQuota` / `rateLimit.authQuota` | `1200` / `1200` / `3000` | requests per window per user with a token, per client address without one, per client address on `/auth/*` and `/users/register` |
/// | `rateLimit.windowSeconds` | `60` | the window of every quota |
/// | `readCache.ttlSeconds` | `3600` | how long product reads are kept to be served while the product service is unavailable |
/// | `discovery.*` | no registry | where the gateway registers, by its HTTP listener (see `DiscoveryConfiguration`) |
public struct GatewayConfiguration: Sendable {
  public var host: String
  public var port: Int
  public var user: UpstreamConfiguration
  public var product: UpstreamConfiguration
  public var order: UpstreamConfiguration
  public var notification: UpstreamConfiguration
  public var security: RPCSecurity
  public var trustedProxies: Set<String>
  public var issuer: String
  public var audience: String
  public var maxBodyBytes: Int
  public var messaging: MessagingConfiguration
  public var discovery: DiscoveryConfiguration?
  public var overviewPartDeadline: Duration
  public var redisURL: String
  public var rateLimits: RateLimitPolicies
  public var readCacheTTL: Duration
  public var eventsKeepAlive: Duration

  public init(
    host: String = "127.0.0.1", port: Int = 8081, userTimeout: Duration = .seconds(2),
    productTimeout: Duration = .seconds(2), issuer: String = "swiftshop", audience: String = "swiftshop-api",
    maxBodyBytes: Int = 1 << 20
  ) {
    self.host = host
    self.port = port
    self.user = UpstreamConfiguration(targets: [.ipv4(host: "127.0.0.1", port: 50051)], timeout: userTimeout)
    self.product = UpstreamConfiguration(targets: [.ipv4(host: "127.0.0.1", port: 50052)], timeout: productTimeout)
    self.order = UpstreamConfiguration(targets: [.ipv4(host: "127.0.0.1", port: 50053)], timeout: .seconds(8))
    self.notification = UpstreamConfiguration(targets: [.ipv4(host: "127.0.0.1", port: 50054)], timeout: .seconds(2))
    self.security = RPCSecurity(mode: .plaintext)
    self.trustedProxies = ["127.0.0.1", "::1"]
    self.issuer = issuer
    self.audience = audience
    self.maxBodyBytes = maxBodyBytes
    self.messaging = MessagingConfiguration(amqpURL: "amqp://guest:guest@127.0.0.1:5672/")
    self.eventsKeepAlive = .seconds(15)
    self.overviewPartDeadline = .seconds(1)
    self.redisURL = "redis://127.0.0.1:6379"
    self.rateLimits = RateLimitPolicies()
    self.readCacheTTL = .seconds(3600)
  }

  public init(config: ConfigReader) throws {
    self.init(
      host: config.string(forKey: "http.host", default: "127.0.0.1"),
      port: config.int(forKey: "http.port", default: 8081),
      issuer: config.string(forKey: "token.issuer", default: "swiftshop"),
      audience: config.string(forKey: "token.audience", default: "swiftshop-api"),
      maxBodyBytes: config.int(forKey: "http.maxBodyBytes", default: 1 << 20)
    )
    user = try UpstreamConfiguration(config: config, name: "user", defaultAddress: "127.0.0.1:50051")
    product = try UpstreamConfiguration(config: config, name: "product", defaultAddress: "127.0.0.1:50052")
    order = try UpstreamConfiguration(
      config: config, name: "order", defaultAddress: "127.0.0.1:50053", defaultTimeoutMs: 8000)
    notification = try UpstreamConfiguration(
      config: config, name: "notification", defaultAddress: "127.0.0.1:50054")
    security = try RPCSecurity(config: config, identity: "gateway")
    messaging = MessagingConfiguration(config: config)
    discovery = DiscoveryConfiguration(config: config)
    let partMs = config.int(forKey: "overview.partTimeoutMs", default: 1000)
    guard partMs > 0 else { throw ConfigurationError("overview.partTimeoutMs must be positive") }
    overviewPartDeadline = .milliseconds(partMs)
    redisURL = config.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
    let window = config.int(forKey: "rateLimit.windowSeconds", default: 60)
    let quotas = [
      ("user", config.int(forKey: "rateLimit.userQuota", default: 1200)),
      ("client", config.int(forKey: "rateLimit.clientQuota", default: 1200)),
      ("auth", config.int(forKey: "rateLimit.authQuota", default: 3000)),
    ]
    guard window > 0, quotas.allSatisfy({ $0.1 > 0 }) else {
      throw ConfigurationError("rateLimit quotas and rateLimit.windowSeconds must be positive")
    }
    let policies = quotas.map { RateLimitPolicy(name: $0.0, quota: $0.1, window: .seconds(window)) }
    rateLimits = RateLimitPolicies(user: policies[0], client: policies[1], auth: policies[2])
    let ttl = config.int(forKey: "readCache.ttlSeconds", default: 3600)
    guard ttl > 0 else { throw ConfigurationError("readCache.ttlSeconds must be positive") }
    readCacheTTL = .seconds(ttl)
    let keepAliveMs = config.int(forKey: "orders.eventsKeepAliveMs", default: 15_000)
    guard keepAliveMs > 0 else { throw ConfigurationError("orders.eventsKeepAliveMs must be positive") }
    eventsKeepAlive = .milliseconds(keepAliveMs)
    let proxies =
      config.stringArray(forKey: "http.trustedProxies") ?? [
        config.string(forKey: "http.trustedProxies", default: "127.0.0.1,::1")
      ]
    trustedProxies = Set(
      proxies.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty
      })
    guard maxBodyBytes > 0 else { throw ConfigurationError("http.maxBodyBytes must be positive") }
  }
}
