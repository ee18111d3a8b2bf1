import Configuration
import Foundation
import ShopConfiguration
import ShopMessaging
import ShopPersistence

/// Everything `shop serve user` reads, with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `grpc.host`, `grpc.port` | `127.0.0.1`, `50051` | gRPC listener |
/// | `admin.host`, `admin.port` | `127.0.0.1`, `3001` | health and metrics listener |
/// | `database.*` | see `DatabaseConfiguration`, name `users` | PostgreSQL |
/// | `amqp.*`, `events.*` | see `MessagingConfiguration` | the broker and the outbox relay |
/// | `token.signingKeyFile` | none | PEM file of the ES256 private key |
/// | `token.signingKey` (secret) | none | the PEM itself, instead of a file |
/// | `token.issuer` | `swiftshop` | `iss` of access tokens |
/// | `token.audience` | `swiftshop-api` | `aud` of access tokens |
/// | `token.accessTtlSeconds` | `900` | access token lifetime |
/// | `token.refreshTtlSeconds` | `2592000` | refresh token lifetime (30 days) |
/// | `password.bcryptCost` | `10` | bcrypt work factor (10 … 16) |
/// | `login.maxFailures`, `login.windowSeconds` | `5`, `300` | failed logins per email before 429 |
/// | `admin.email`, `admin.password` (secret) | `admin@swiftshop.local`, `admin-password-change-me` | the account `shop seed` creates |
public struct UserServiceConfiguration: Sendable {
  public var grpcHost: String
  public var grpcPort: Int
  public var adminHost: String
  public var adminPort: Int
  public var database: DatabaseConfiguration
  public var messaging: MessagingConfiguration
  public var signingKeyPEM: String?
  public var issuer: String
  public var audience: String
  public var accessTokenLifetime: Duration
  public var refreshTokenLifetime: Duration
  public var bcryptCost: Int
  public var loginMaxFailures: Int
  public var loginWindow: Duration
  public var adminEmail: String
  public var adminPassword: String

  public init(config: ConfigReader) throws {
    grpcHost = config.string(forKey: "grpc.host", default: "127.0.0.1")
    grpcPort = config.int(forKey: "grpc.port", default: 50051)
    adminHost = config.string(forKey: "admin.host", default: "127.0.0.1")
    adminPort = config.int(forKey: "admin.port", default: 3001)
    database = DatabaseConfiguration(config: config, defaultName: "users")
    messaging = MessagingConfiguration(config: config)
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
    loginMaxFailures = config.int(forKey: "login.maxFailures", default: 5)
    loginWindow = .seconds(config.int(forKey: "login.windowSeconds", default: 300))
    adminEmail = config.string(forKey: "admin.email", default: "admin@swiftshop.local")
    adminPassword = config.string(forKey: "admin.password", isSecret: true, default: "admin-password-change-me")
  }
}
