import Configuration
import ShopConfiguration
import ShopRPC
import ShopWebhooks

/// What `shop serve order` reads besides the keys every service reads
/// (`ServiceHostConfiguration`), with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `redis.url` | `redis://127.0.0.1:6379` | where carts are kept |
/// | `redis.leaseTimeoutMs` | `500` | how long a cart call waits for a Redis connection before answering 503 |
/// | `carts.idleDays` | `30` | a cart left alone this long is gone |
/// | `product.address`, `product.timeoutMs` | `127.0.0.1:50052`, `2000` | the product service (see `UpstreamConfiguration`) |
/// | `payment.url`, `payment.timeoutMs` | `http://127.0.0.1:3010`, `15000` | the payment provider, and how long one call may take |
/// | `webhooks.secretFile`, `webhooks.secret` | none, required | the secret the provider signs webhooks with; sealed cards are keyed by it too |
/// | `checkout.waitMs` | `3000` | how long `POST /orders` waits for the saga before answering `202` |
/// | `checkout.leaseSeconds` | `20` | how long an instance holds a saga without renewing it |
/// | `checkout.recoveryIntervalMs` | `1000` | how often abandoned sagas are looked for |
/// | `checkout.reservationSeconds` | `900` | how long stock is held for an order |
/// | `checkout.stuckAfter` | `120` | seconds after which an order still pending is stuck (listed for admins, counted by `orders_stuck`) |
/// | `orders.autoCompleteAfter` | `1209600` (14 days) | seconds after delivery that an order completes by itself |
/// | `orders.autoCompleteIntervalMs` | `60000` | how often delivered orders are looked at for that |
/// | `fulfillment.dispatchIntervalMs` | `200` | how often due fulfillment jobs are moved from PostgreSQL to the Redis Stream |
/// | `fulfillment.reenqueueAfter` | `300` | seconds after which the job of a paid order not yet packed is enqueued again (a no-op unless Redis lost it) |
public struct OrderServiceConfiguration: Sendable {
  public var redisURL: String
  public var redisLeaseTimeout: Duration
  public var cartIdleExpiry: Duration
  public var product: UpstreamConfiguration
  public var paymentURL: String
  public var paymentTimeout: Duration
  public var webhookSecret: WebhookSecret
  public var checkoutWait: Duration
  public var lease: Duration
  public var recoveryInterval: Duration
  public var reservationTTL: Duration
  public var stuckAfter: Duration
  public var autoCompleteAfter: Duration
  public var autoCompleteInterval: Duration
  public var fulfillmentDispatchInterval: Duration
  public var fulfillmentReenqueueAfter: Duration

  public init(config: ConfigReader) throws {
    redisURL = config.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
    redisLeaseTimeout = .milliseconds(config.int(forKey: "redis.leaseTimeoutMs", default: 500))
    cartIdleExpiry = .seconds(config.int(forKey: "carts.idleDays", default: 30) * 86_400)
    product = try UpstreamConfiguration(config: config, name: "product", defaultAddress: "127.0.0.1:50052")
    paymentURL = config.string(forKey: "payment.url", default: "http://127.0.0.1:3010")
    paymentTimeout = .milliseconds(config.int(forKey: "payment.timeoutMs", default: 15_000))
    webhookSecret = try WebhookSecret(config: config)
    checkoutWait = .milliseconds(config.int(forKey: "checkout.waitMs", default: 3000))
    lease = .seconds(config.int(forKey: "checkout.leaseSeconds", default: 20))
    recoveryInterval = .milliseconds(config.int(forKey: "checkout.recoveryIntervalMs", default: 1000))
    reservationTTL = .seconds(config.int(forKey: "checkout.reservationSeconds", default: 900))
    stuckAfter = .seconds(config.int(forKey: "checkout.stuckAfter", default: 120))
    autoCompleteAfter = .seconds(config.int(forKey: "orders.autoCompleteAfter", default: 14 * 86_400))
    autoCompleteInterval = .milliseconds(config.int(forKey: "orders.autoCompleteIntervalMs", default: 60_000))
    fulfillmentDispatchInterval = .milliseconds(config.int(forKey: "fulfillment.dispatchIntervalMs", default: 200))
    fulfillmentReenqueueAfter = .seconds(config.int(forKey: "fulfillment.reenqueueAfter", default: 300))
    guard fulfillmentReenqueueAfter >= .seconds(1) else {
      throw ConfigurationError("fulfillment.reenqueueAfter must be at least one second")
    }
    guard lease > paymentTimeout else {
      throw ConfigurationError(
        "checkout.leaseSeconds must be longer than payment.timeoutMs, or a slow charge loses its lease")
    }
  }
}
