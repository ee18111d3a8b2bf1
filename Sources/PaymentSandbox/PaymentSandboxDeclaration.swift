import Configuration
import Crypto
import Foundation
import ShopIdempotency
import ShopPersistence
import ShopServiceHost
import ShopWebhooks

/// The payment sandbox as the service host runs it: an HTTP service without events or gRPC,
/// its API on port 3010 beside its health and metrics, and the dispatcher of its webhooks.
public struct PaymentSandboxDeclaration: ServiceDeclaration {
  public static let name = "payment-sandbox"
  public static let defaults = ServiceDefaults(grpcPort: 0, adminPort: 3010, databaseName: "payments")
  public static let usesEvents = false

  public static func migrations() throws -> [Migration] {
    try bundledMigrations(in: .module, adding: [try IdempotencySchema.migration(version: 2)])
  }

  public let configuration: PaymentSandboxConfiguration

  public init(config: ConfigReader) throws {
    configuration = try PaymentSandboxConfiguration(config: config)
  }

  public func parts(_ resources: ServiceResources) async throws -> ServiceParts {
    let signature = WebhookSignature(secret: configuration.secret)
    let keys = PostgresIdempotencyStore(client: resources.postgres, logger: resources.logger)
    let routes = PaymentRoutes(
      store: PostgresPaymentStore(client: resources.postgres, logger: resources.logger), keys: keys,
      fingerprintKey: configuration.secret.derivedKey(for: "card-fingerprint"),
      slowCardDelay: configuration.slowCardDelay)
    let dispatcher = WebhookDispatcher(
      client: resources.postgres, url: configuration.webhookURL, signature: signature,
      timeout: configuration.webhookTimeout, pollInterval: configuration.pollInterval, logger: resources.logger)
    return ServiceParts(
      httpRoutes: { routes.register(on: $0) },
      services: [dispatcher, IdempotencyKeyPurger(store: keys, logger: resources.logger)])
  }
}
