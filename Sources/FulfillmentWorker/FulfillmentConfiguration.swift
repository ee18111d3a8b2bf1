import Configuration
import Foundation
import ShopConfiguration
import ShopDiscovery
import ShopRPC

/// Everything `shop serve fulfillment` reads, with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `admin.host`, `admin.port` | `127.0.0.1`, `3005` | `/health` and `/metrics` |
/// | `redis.url` | `redis://127.0.0.1:6379` | where the job streams are |
/// | `order.address`, `order.timeoutMs` | `127.0.0.1:50053`, `2000` | the order service, told of packed orders |
/// | `tls.*` | see `RPCSecurity` | mutual TLS to the order service, with the certificate `fulfillment` |
/// | `fulfillment.consumer` | `fulfillment-<admin port>` | this worker's name in the consumer group |
/// | `fulfillment.claimIdleMs` | `30000` | a job held this long without an acknowledgement is claimed by another worker |
/// | `fulfillment.maxAttempts` | `5` | failed attempts after which a job moves to `fulfillment:dead` |
/// | `fulfillment.batch` | `10` | jobs read (and worked on together) at a time |
/// | `fulfillment.warehouses` | see ``Warehouses/standard`` | which warehouse ships to which countries |
/// | `fulfillment.holdBeforeAckMs` | `0` | a test hook: wait this long between the order service's answer and the acknowledgement |
/// | `discovery.*` | no registry | where the worker registers, by its admin listener (see `DiscoveryConfiguration`) |
public struct FulfillmentConfiguration: Sendable {
  public var adminHost: String
  public var adminPort: Int
  public var redisURL: String
  public var order: UpstreamConfiguration
  public var security: RPCSecurity
  public var consumer: String
  public var claimIdle: Duration
  public var maxAttempts: Int
  public var batch: Int
  public var warehouses: Warehouses
  public var holdBeforeAck: Duration
  public var discovery: DiscoveryConfiguration?

  public init(config: ConfigReader) throws {
    adminHost = config.string(forKey: "admin.host", default: "127.0.0.1")
    adminPort = config.int(forKey: "admin.port", default: 3005)
    redisURL = config.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
    order = try UpstreamConfiguration(config: config, name: "order", defaultAddress: "127.0.0.1:50053")
    security = try RPCSecurity(config: config, identity: "fulfillment")
    consumer = config.string(forKey: "fulfillment.consumer", default: "fulfillment-\(adminPort)")
    claimIdle = .milliseconds(config.int(forKey: "fulfillment.claimIdleMs", default: 30_000))
    maxAttempts = config.int(forKey: "fulfillment.maxAttempts", default: 5)
    batch = config.int(forKey: "fulfillment.batch", default: 10)
    warehouses = try Warehouses(config.string(forKey: "fulfillment.warehouses", default: Warehouses.standard))
    holdBeforeAck = .milliseconds(config.int(forKey: "fulfillment.holdBeforeAckMs", default: 0))
    discovery = DiscoveryConfiguration(config: config)
    guard claimIdle >= .milliseconds(100) else {
      throw ConfigurationError("fulfillment.claimIdleMs must be at least 100")
    }
    guard maxAttempts >= 1, (1...1000).contains(batch) else {
      throw ConfigurationError("fulfillment.maxAttempts must be positive and fulfillment.batch 1 to 1000")
    }
  }
}
