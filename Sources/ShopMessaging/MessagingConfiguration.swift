import AMQPClient
import Configuration

/// How a service reaches the broker and runs its relay, from the `amqp` and `events` scopes:
///
/// | key | default | meaning |
/// |---|---|---|
/// | `amqp.url` (secret) | `amqp://guest:guest@127.0.0.1:5672/` | the broker; `amqps://` for TLS |
/// | `events.batchSize` | `200` | most events a relay publishes per round |
/// | `events.pollIntervalMs` | `1000` | how often a relay looks for events without a notification |
/// | `events.publishTimeoutMs` | `10000` | how long a round waits for the broker's confirms |
/// | `events.retentionHours` | `168` | how long published events are kept for replay |
public struct MessagingConfiguration: Sendable {
  public var amqpURL: String
  public var relay: OutboxRelay.Options

  /// The broker connection's settings, the connection named `swiftshop-<name>` in the
  /// broker's management views.
  public func amqpConfiguration(name: String) throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: amqpURL)
    configuration.connectionName = "swiftshop-\(name)"
    return configuration
  }

  public init(amqpURL: String, relay: OutboxRelay.Options = OutboxRelay.Options()) {
    self.amqpURL = amqpURL
    self.relay = relay
  }

  public init(config: ConfigReader) {
    amqpURL = config.string(forKey: "amqp.url", isSecret: true, default: "amqp://guest:guest@127.0.0.1:5672/")
    let events = config.scoped(to: "events")
    relay = OutboxRelay.Options(
      batchSize: max(1, events.int(forKey: "batchSize", default: 200)),
      pollInterval: .milliseconds(max(10, events.int(forKey: "pollIntervalMs", default: 1000))),
      publishTimeout: .milliseconds(max(100, events.int(forKey: "publishTimeoutMs", default: 10_000))),
      retention: .seconds(3600 * max(1, events.int(forKey: "retentionHours", default: 168))))
  }

}
