import Configuration
import ShopWebhooks

/// The payment sandbox's own keys (README, Configuration):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `webhooks.secretFile`, `webhooks.secret` | none, required | the `whsec_…` secret webhooks are signed with; card fingerprints are keyed by it too |
/// | `webhooks.url` | none | where every state change is sent; without one, webhooks wait in the outbox |
/// | `webhooks.timeoutMs`, `webhooks.pollMs` | `5000`, `200` | one delivery's deadline; how often due deliveries are looked for |
/// | `cards.slowDelayMs` | `10000` | how long the slow test card takes |
public struct PaymentSandboxConfiguration: Sendable {
  public var secret: WebhookSecret
  public var webhookURL: String?
  public var webhookTimeout: Duration
  public var pollInterval: Duration
  public var slowCardDelay: Duration

  public init(config: ConfigReader) throws {
    secret = try WebhookSecret(config: config)
    let url = config.string(forKey: "webhooks.url", default: "")
    webhookURL = url.isEmpty ? nil : url
    webhookTimeout = .milliseconds(config.int(forKey: "webhooks.timeoutMs", default: 5000))
    pollInterval = .milliseconds(config.int(forKey: "webhooks.pollMs", default: 200))
    slowCardDelay = .milliseconds(config.int(forKey: "cards.slowDelayMs", default: 10_000))
  }
}
