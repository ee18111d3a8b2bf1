import Configuration
import Foundation
import ShopConfiguration
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
    let text: String
    if let inline = config.string(forKey: "webhooks.secret"), !inline.isEmpty {
      text = inline
    } else if let file = config.string(forKey: "webhooks.secretFile"), !file.isEmpty {
      do {
        text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
      } catch {
        throw ConfigurationError("cannot read webhooks.secretFile \(file): \(error)")
      }
    } else {
      throw ConfigurationError("no webhook secret: set webhooks.secretFile or webhooks.secret")
    }
    guard let secret = WebhookSecret(text) else {
      throw ConfigurationError("the webhook secret is not of the form whsec_<base64>")
    }
    self.secret = secret
    let url = config.string(forKey: "webhooks.url", default: "")
    webhookURL = url.isEmpty ? nil : url
    webhookTimeout = .milliseconds(config.int(forKey: "webhooks.timeoutMs", default: 5000))
    pollInterval = .milliseconds(config.int(forKey: "webhooks.pollMs", default: 200))
    slowCardDelay = .milliseconds(config.int(forKey: "cards.slowDelayMs", default: 10_000))
  }
}
