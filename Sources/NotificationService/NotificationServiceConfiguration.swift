import Configuration
import Foundation
import NIOSSL
import SMTPClient
import SMTPProtocol
import ShopConfiguration

/// What `shop serve notification` reads besides the keys every service reads
/// (`ServiceHostConfiguration`), with its defaults.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `smtp.host`, `smtp.port` | `127.0.0.1`, `1025` | the mail server |
/// | `smtp.security` | `starttls-if-offered` | `plain`, `starttls-if-offered` or `starttls` |
/// | `smtp.caFile` | the system's roots | the CA that signs the mail server's certificate |
/// | `smtp.username`, `smtp.password` | none | AUTH PLAIN or LOGIN, only over TLS |
/// | `smtp.from` | `no-reply@swiftshop.local` | the sender of every email |
/// | `notifications.retryInitialMs`, `notifications.retryMaxMs` | `5000`, `600000` | the wait after a failed attempt, tripled each time up to the cap |
/// | `notifications.maxAttempts` | `10` | attempts before a notification is `failed` |
/// | `notifications.pollIntervalMs` | `1000` | how often due retries are looked for |
/// | `notifications.concurrency` | `16` | deliveries in flight per instance and channel |
/// | `push.vapidKeyFile` | `.run/secrets/vapid-private-key.pem` | the VAPID key, made on first start when missing |
/// | `push.subject` | `mailto:ops@swiftshop.local` | the contact push services see in the VAPID token |
/// | `outbound.allowLoopback` | `false` | whether webhooks and pushes may go to loopback (the local stack's tests) |
/// | `webhooks.retryInitialMs`, `webhooks.retryMaxMs` | `5000`, `3600000` | the wait after a failed webhook attempt, tripled up to the cap |
/// | `webhooks.maxAttempts` | `12` | attempts before a delivery is `failed` |
/// | `webhooks.disableAfterFailures` | `20` | failed attempts in a row after which an endpoint is disabled |
/// | `webhooks.timeoutMs` | `10000` | how long one webhook or push request may take |
public struct NotificationServiceConfiguration: Sendable {
  public var smtp: SMTPConfiguration
  public var sender: MailAddress
  public var retries: RetrySchedule
  public var pollInterval: Duration
  public var concurrency: Int
  public var vapidKeyFile: String
  public var pushSubject: String
  public var outbound: OutboundAddressPolicy
  public var webhookRetries: RetrySchedule
  public var disableAfterFailures: Int
  public var httpTimeout: Duration

  public init(config: ConfigReader) throws {
    var smtp = SMTPConfiguration(
      host: config.string(forKey: "smtp.host", default: "127.0.0.1"),
      port: config.int(forKey: "smtp.port", default: 1025))
    switch config.string(forKey: "smtp.security", default: "starttls-if-offered") {
    case "plain": smtp.security = .plain
    case "starttls-if-offered": smtp.security = .startTLSIfOffered
    case "starttls": smtp.security = .startTLS
    case let other:
      throw ConfigurationError("smtp.security must be plain, starttls-if-offered or starttls, not \(other)")
    }
    if let ca = config.string(forKey: "smtp.caFile"), !ca.isEmpty {
      smtp.tls.trustRoots = .file(ca)
    }
    if let username = config.string(forKey: "smtp.username"), !username.isEmpty {
      smtp.credentials = (username, config.string(forKey: "smtp.password", isSecret: true, default: ""))
    }
    self.smtp = smtp
    let from = config.string(forKey: "smtp.from", default: "no-reply@swiftshop.local")
    do {
      sender = MailAddress(try SMTPMailbox(from), name: "SwiftShop")
    } catch {
      throw ConfigurationError("smtp.from is not an address: \(from)")
    }
    retries = RetrySchedule(
      initialDelay: .milliseconds(config.int(forKey: "notifications.retryInitialMs", default: 5000)),
      maximumDelay: .milliseconds(config.int(forKey: "notifications.retryMaxMs", default: 600_000)),
      maximumAttempts: config.int(forKey: "notifications.maxAttempts", default: 10))
    pollInterval = .milliseconds(config.int(forKey: "notifications.pollIntervalMs", default: 1000))
    concurrency = max(1, config.int(forKey: "notifications.concurrency", default: 16))
    vapidKeyFile = config.string(forKey: "push.vapidKeyFile", default: ".run/secrets/vapid-private-key.pem")
    pushSubject = config.string(forKey: "push.subject", default: "mailto:ops@swiftshop.local")
    outbound = OutboundAddressPolicy(allowsLoopback: config.bool(forKey: "outbound.allowLoopback", default: false))
    webhookRetries = RetrySchedule(
      initialDelay: .milliseconds(config.int(forKey: "webhooks.retryInitialMs", default: 5000)),
      maximumDelay: .milliseconds(config.int(forKey: "webhooks.retryMaxMs", default: 3_600_000)),
      maximumAttempts: config.int(forKey: "webhooks.maxAttempts", default: 12))
    disableAfterFailures = max(1, config.int(forKey: "webhooks.disableAfterFailures", default: 20))
    httpTimeout = .milliseconds(config.int(forKey: "webhooks.timeoutMs", default: 10_000))
  }
}
