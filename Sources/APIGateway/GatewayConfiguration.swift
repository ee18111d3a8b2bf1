import Configuration
import ShopConfiguration

/// Everything `shop serve gateway` reads, with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `http.host`, `http.port` | `127.0.0.1`, `8081` | public REST listener (the admin paths are served here too) |
/// | `user.address` | `127.0.0.1:50051` | user service gRPC, `host:port` (a DNS name is resolved and balanced) |
/// | `user.timeoutMs` | `2000` | deadline of each call to the user service |
/// | `product.address` | `127.0.0.1:50052` | product service gRPC, `host:port` |
/// | `product.timeoutMs` | `2000` | deadline of each call to the product service |
/// | `token.issuer`, `token.audience` | `swiftshop`, `swiftshop-api` | expected `iss` and `aud` |
/// | `http.maxBodyBytes` | `1048576` | larger request bodies answer 413 |
public struct GatewayConfiguration: Sendable {
  public var host: String
  public var port: Int
  public var userAddress: String
  public var userTimeout: Duration
  public var productAddress: String
  public var productTimeout: Duration
  public var issuer: String
  public var audience: String
  public var maxBodyBytes: Int

  public init(
    host: String = "127.0.0.1", port: Int = 8081, userAddress: String = "127.0.0.1:50051",
    userTimeout: Duration = .seconds(2), productAddress: String = "127.0.0.1:50052",
    productTimeout: Duration = .seconds(2), issuer: String = "swiftshop", audience: String = "swiftshop-api",
    maxBodyBytes: Int = 1 << 20
  ) {
    self.host = host
    self.port = port
    self.userAddress = userAddress
    self.userTimeout = userTimeout
    self.productAddress = productAddress
    self.productTimeout = productTimeout
    self.issuer = issuer
    self.audience = audience
    self.maxBodyBytes = maxBodyBytes
  }

  public init(config: ConfigReader) throws {
    self.init(
      host: config.string(forKey: "http.host", default: "127.0.0.1"),
      port: config.int(forKey: "http.port", default: 8081),
      userAddress: config.string(forKey: "user.address", default: "127.0.0.1:50051"),
      userTimeout: .milliseconds(config.int(forKey: "user.timeoutMs", default: 2000)),
      productAddress: config.string(forKey: "product.address", default: "127.0.0.1:50052"),
      productTimeout: .milliseconds(config.int(forKey: "product.timeoutMs", default: 2000)),
      issuer: config.string(forKey: "token.issuer", default: "swiftshop"),
      audience: config.string(forKey: "token.audience", default: "swiftshop-api"),
      maxBodyBytes: config.int(forKey: "http.maxBodyBytes", default: 1 << 20)
    )
    guard maxBodyBytes > 0 else { throw ConfigurationError("http.maxBodyBytes must be positive") }
  }
}
