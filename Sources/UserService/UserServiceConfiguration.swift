import Configuration
import Foundation
import ShopConfiguration

/// What `shop serve user` and `shop seed` read besides the keys every service reads
/// (`ServiceHostConfiguration`), with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `token.signingKeyFile` | none | PEM file of the ES256 private key |
/// | `token.signingKey` (secret) | none | the PEM itself, instead of a file |
/// | `token.issuer` | `swiftshop` | `iss` of access tokens |
/// | `token.audience` | `swiftshop-api` | `aud` of access tokens |
/// | `token.accessTtlSeconds` | `900` | access token lifetime |
/// | `token.refreshTtlSeconds` | `2592000` | refresh token lifetime (30 days) |
/// | `password.bcryptCost` | `10` | bcrypt work factor (10 … 16) |
/// | `login.maxFailures`, `login.maxFailuresPerClient`, `login.windowSeconds` | `10`, `200`, `300` | logins per account and per client address in one window before 429 |
/// | `redis.url` | `redis://127.0.0.1:6379` | where the login attempts are counted, shared by every instance |
/// | `admin.email` | `admin@swiftshop.local` | the administrator `shop seed` creates |
/// | `admin.password` (secret) | none; `admin-password-change-me` when `environment` is `local` | its password |
/// | `environment` | `local` | where this runs; anything but `local` has no default admin password |
public struct UserServiceConfiguration: Sendable {
  public var signingKeyPEM: String?
  public var issuer: String
  public var audience: String
  public var accessTokenLifetime: Duration
  public var refreshTokenLifetime: Duration
  public var bcryptCost: Int
  public var loginThrottle: LoginThrottle
  public var redisURL: String
  public var adminEmail: String
  public var adminPassword: String?
  public var environment: String

  public init(config: ConfigReader) throws {
    if let pem = config.string(forKey: "token.signingKey", isSecret: true), !pem.isEmpty {
      signingKeyPEM = pem
    } else if let file = config.string(forKey: "token.signingKeyFile"), !file.isEmpty {
      do {
        signingKeyPEM = try String(contentsOfFile: file, encoding: .utf8)
      } catch {
        throw ConfigurationError("cannot read token.signingKeyFile \(file): \(error)")
      }
    } else {
      signingKeyPEM = nil
    }
    issuer = config.string(forKey: "token.issuer", default: "swiftshop")
    audience = config.string(forKey: "token.audience", default: "swiftshop-api")
    accessTokenLifetime = .seconds(config.int(forKey: "token.accessTtlSeconds", default: 900))
    refreshTokenLifetime = .seconds(config.int(forKey: "token.refreshTtlSeconds", default: 30 * 24 * 3600))
    bcryptCost = config.int(forKey: "password.bcryptCost", default: 10)
    guard (10...16).contains(bcryptCost) else { throw ConfigurationError("password.bcryptCost must be 10 to 16") }
    loginThrottle = LoginThrottle(
      maxFailures: config.int(forKey: "login.maxFailures", default: 10),
      maxFailuresPerClient: config.int(forKey: "login.maxFailuresPerClient", default: 200),
      window: .seconds(config.int(forKey: "login.windowSeconds", default: 300)))
    redisURL = config.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379")
    adminEmail = config.string(forKey: "admin.email", default: "admin@swiftshop.local")
    adminPassword = config.string(forKey: "admin.password", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
    environment = config.string(forKey: "environment", default: "local")
  }

  /// The administrator's email and password. A deployment that is not the local stack must
  /// name the password: a default one would be known to everybody.
  public func administrator() throws -> (email: String, password: String) {
    if let adminPassword { return (adminEmail, adminPassword) }
    guard environment == "local" else {
      throw ConfigurationError(
        "no administrator password: set admin.password (SHOP_ADMIN_PASSWORD); environment \(environment) has no default"
      )
    }
    return (adminEmail, "admin-password-change-me")
  }
}
