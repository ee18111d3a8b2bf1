import Configuration
import Foundation
import RedisClient
import ShopAdmin
import ShopAuth
import ShopConfiguration
import ShopPersistence
import ShopServiceHost

/// The user service as the service host runs it: accounts, credentials and tokens behind its
/// gRPC service.
public struct UserServiceDeclaration: ServiceDeclaration {
  public static let name = "user"
  public static let defaults = ServiceDefaults(grpcPort: 50051, adminPort: 3001, databaseName: "users")

  public static func migrations() throws -> [Migration] {
    try bundledMigrations(in: .module, eventSchemaVersion: 2)
  }

  public let configuration: UserServiceConfiguration

  public init(config: ConfigReader) throws {
    configuration = try UserServiceConfiguration(config: config)
  }

  public func parts(_ resources: ServiceResources) async throws -> ServiceParts {
    guard let pem = configuration.signingKeyPEM else {
      throw ConfigurationError("no token signing key: set token.signingKeyFile or token.signingKey")
    }
    let issuer = await AccessTokenIssuer(
      key: try SigningKey(pem: pem), issuer: configuration.issuer, audience: configuration.audience,
      lifetime: configuration.accessTokenLifetime)
    // Short timeouts: without Redis, logins are throttled by this instance alone at once.
    var redisConfiguration = try RedisConfiguration(url: configuration.redisURL)
    redisConfiguration.clientName = "user"
    redisConfiguration.leaseTimeout = .milliseconds(100)
    redisConfiguration.commandTimeout = .milliseconds(500)
    redisConfiguration.connectTimeout = .milliseconds(500)
    let redis = RedisClient(configuration: redisConfiguration, logger: resources.logger)
    let accounts = try await UserAccounts(
      store: PostgresUserStore(client: resources.postgres, logger: resources.logger),
      hasher: PasswordHasher(cost: UInt8(configuration.bcryptCost)),
      issuer: issuer,
      refreshTokenLifetime: configuration.refreshTokenLifetime,
      throttle: configuration.loginThrottle,
      attempts: RedisLoginAttempts(redis: redis, logger: resources.logger)
    )
    // The service verifies tokens against its own keys.
    return ServiceParts(
      rpcServices: [UserRPCService(accounts: accounts, issuer: issuer)],
      accessPolicy: UserRPCService<PostgresUserStore>.accessPolicy,
      tokenKeys: { issuer.jwks },
      healthChecks: [HealthCheck(name: "redis", impact: .degrading, timeout: .seconds(1)) { try await redis.ping() }],
      services: [redis])
  }
}
