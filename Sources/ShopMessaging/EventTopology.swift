import AMQPClient

/// The exchange every event is published to, and the queues of one consumer:
///
/// - `NAME`: a durable quorum queue bound to the routing keys the consumer handles. Its
///   delivery limit dead-letters a message that keeps being redelivered without an answer
///   (a handler that crashes the process) to `NAME.dlq`.
/// - `NAME.retry.<ms>ms`, one per retry delay: a failed event waits there for its delay, then
///   expires back into `NAME` (the broker adds an `x-death` entry each time).
/// - `NAME.dlq`: a durable quorum queue for events that failed every retry, operated with
///   `shop dlq list|retry|purge`.
public struct EventTopology: Sendable {
  /// The durable topic exchange of all events; routing keys are event types.
  public static let exchange = "shop.events"
  /// The alternate exchange of ``exchange`` and its durable quorum queue of the same name:
  /// an event no consumer is bound for yet is kept there instead of being returned, and
  /// `shop events replay` delivers it again once a consumer exists. `shop.events` gets the
  /// alternate exchange through the broker policy `shop-unrouted`, which `make up` sets
  /// (README, Events), since an existing exchange cannot be declared again with new arguments.
  public static let unrouted = "shop.unrouted"

  public let queue: String
  public let routingKeys: [String]
  public let retryDelays: [Duration]
  public let deliveryLimit: Int

  public init(queue: String, routingKeys: [String], retryDelays: [Duration], deliveryLimit: Int) {
    self.queue = queue
    self.routingKeys = routingKeys
    self.retryDelays = retryDelays
    self.deliveryLimit = deliveryLimit
  }

  public var deadLetterQueue: String { Self.deadLetterQueue(of: queue) }

  /// The dead-letter queue of a consumer's queue; a dead-letter queue's name is kept.
  public static func deadLetterQueue(of queue: String) -> String {
    queue.hasSuffix(".dlq") ? queue : queue + ".dlq"
  }

  /// Every queue of the consumer.
  public var queues: [String] {
    [queue, deadLetterQueue] + retryDelays.indices.map { retryQueue(attempt: $0 + 1) }
  }

  /// The queue a failed event waits in before its `attempt`-th retry (1 for the first).
  func retryQueue(attempt: Int) -> String {
    "\(queue).retry.\(Int64((retryDelays[attempt - 1] / .milliseconds(1)).rounded()))ms"
  }

  /// Declares the events exchange and its alternate exchange with the queue that keeps
  /// what nothing else is bound for.
  public static func declareExchange(on channel: AMQPChannel) async throws {
    try await channel.exchangeDeclare(unrouted, type: "fanout", durable: true)
    try await channel.queueDeclare(unrouted, durable: true, arguments: AMQPQueueArguments(type: .quorum).table)
    try await channel.queueBind(unrouted, exchange: unrouted, routingKey: "")
    try await channel.exchangeDeclare(exchange, type: "topic", durable: true)
  }

  /// Declares the exchange and all of the consumer's queues and bindings; declaring again is
  /// harmless, and recovery does it after a lost connection.
  func declare(on channel: AMQPChannel) async throws {
    try await Self.declareExchange(on: channel)
    try await channel.queueDeclare(
      deadLetterQueue, durable: true, arguments: AMQPQueueArguments(type: .quorum).table)
    try await channel.queueDeclare(
      queue, durable: true,
      arguments: AMQPQueueArguments(
        type: .quorum, deadLetterExchange: "", deadLetterRoutingKey: deadLetterQueue, deliveryLimit: deliveryLimit
      ).table)
    for attempt in retryDelays.indices.map({ $0 + 1 }) {
      try await channel.queueDeclare(
        retryQueue(attempt: attempt), durable: true,
        arguments: AMQPQueueArguments(
          deadLetterExchange: "", deadLetterRoutingKey: queue, messageTTL: retryDelays[attempt - 1]
        ).table)
    }
    for key in routingKeys {
      try await channel.queueBind(queue, exchange: Self.exchange, routingKey: key)
    }
  }
}
