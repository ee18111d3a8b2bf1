import AMQPClient
import AMQPProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ShopMessaging
import ShopPersistence
import ShopTestSupport

/// A fresh database with the event schema and a `ledger` table (one row per effect of the
/// test consumer), a running broker connection, and helpers to run relays and consumers.
struct MessagingHarness: Sendable {
  let client: PostgresClient
  let amqp: AMQPConnection
  let prefix: String
  let logger = Logger(label: "test.messaging")

  static let ledger = Migration(
    version: 2, name: "ledger",
    sql: """
      CREATE TABLE ledger (event_id uuid NOT NULL, aggregate_id uuid NOT NULL, version bigint NOT NULL);
      CREATE TABLE projection (aggregate_id uuid PRIMARY KEY, version bigint NOT NULL, name text NOT NULL);
      """)

  static func with(
    limit: Duration = .seconds(120), disruptive: Bool = false,
    _ body: @escaping @Sendable (MessagingHarness) async throws -> Void
  ) async throws {
    let run: @Sendable () async throws -> Void = {
      try await withDeadline(limit) {
        try await TestDatabase.with(migrations: [try EventSchema.migration(version: 1), ledger]) { client, _ in
          var configuration = try AMQPConfiguration(url: Infra.amqpURL + "?heartbeat=5")
          configuration.connectionName = "swiftshop-messaging-tests"
          configuration.recoveryBackoff = (.milliseconds(100), .milliseconds(500))
          let amqp = AMQPConnection(configuration: configuration, logger: Logger(label: "test.messaging.amqp"))
          let prefix = "test.events.\(UUID().uuidString.prefix(8).lowercased())"
          try await AMQPConnection.withRunning(amqp) {
            try await body(MessagingHarness(client: client, amqp: amqp, prefix: prefix))
          }
        }
      }
    }
    if disruptive {
      try await ServerLock.broker.disruptive(run)
    } else {
      try await ServerLock.broker.steady(run)
    }
  }

  /// Runs `services` in a service group while `body` runs, then shuts them down gracefully.
  /// `body` starts once the consumers among them consume, so that no event is published
  /// before their queues are bound.
  func running<T: Sendable>(_ services: [any Service], _ body: @Sendable () async throws -> T) async throws -> T {
    let group = ServiceGroup(services: services, gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
    let consumers = services.compactMap { $0 as? EventConsumer }
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      do {
        try await until { consumers.allSatisfy(\.isConsuming) }
        let result = try await body()
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
      } catch {
        await group.triggerGracefulShutdown()
        try? await tasks.waitForAll()
        throw error
      }
    }
  }

  func relay(afterConfirm: OutboxRelay.ConfirmedHook? = nil) -> OutboxRelay {
    OutboxRelay(
      service: "test", client: client, amqp: amqp,
      options: .init(batchSize: 100, pollInterval: .milliseconds(500), heartbeatInterval: .seconds(1)),
      logger: logger, afterConfirm: afterConfirm)
  }

  /// A consumer whose effect is a ledger row per event; `fail` decides, per event, whether
  /// the handler throws instead.
  func consumer(
    _ name: String, routingKeys: [String], retryDelays: [Duration] = [.milliseconds(200)],
    fail: @escaping @Sendable (EventEnvelope) -> Bool = { _ in false },
    effect: (@Sendable (EventEnvelope, EventContext) async throws -> Void)? = nil
  ) -> EventConsumer {
    EventConsumer(
      queue: "\(prefix).\(name)", routingKeys: routingKeys, client: client, amqp: amqp,
      options: .init(prefetch: 50, concurrency: 4, retryDelays: retryDelays, deliveryLimit: 10), logger: logger
    ) { event, context in
      if fail(event) { throw HandlerFailure(event: event.id) }
      if let effect { return try await effect(event, context) }
      try await context.transaction.query(
        "INSERT INTO ledger VALUES (\(event.id), \(event.aggregateID), \(event.aggregateVersion))",
        logger: context.logger)
    }
  }

  struct HandlerFailure: Error {
    let event: UUID
  }

  /// Records one event per transaction.
  @discardableResult
  func record(type: String, aggregateID: UUID = UUID(), version: Int64 = 1, name: String = "x") async throws -> UUID {
    let event = OutboxEvent(type: type, aggregateID: aggregateID, aggregateVersion: version, data: ["name": name])
    try await client.transaction(logger: logger) { transaction in
      try await Outbox(source: "test-service").record(event, in: transaction, logger: logger)
    }
    return event.id
  }

  /// A queue of the test's own bound to `routingKey`, to see what reaches the exchange.
  func tap(_ routingKey: String) async throws -> (AMQPChannel, String) {
    let channel = try await amqp.openChannel()
    try await channel.exchangeDeclare(EventTopology.exchange, type: "topic", durable: true)
    let queue = try await channel.queueDeclare("\(prefix).tap.\(routingKey)", durable: false, autoDelete: false).queue
    try await channel.queueBind(queue, exchange: EventTopology.exchange, routingKey: routingKey)
    return (channel, queue)
  }

  /// Takes messages from a tap until `count` arrived, returning their message ids in order.
  func drain(_ channel: AMQPChannel, _ queue: String, count: Int) async throws -> [AMQPDelivery] {
    var taken: [AMQPDelivery] = []
    while taken.count < count {
      if let delivery = try await channel.get(queue: queue, noAck: true) {
        taken.append(delivery)
      } else {
        try await Task.sleep(for: .milliseconds(20))
      }
    }
    return taken
  }

  /// Looks through `shop.unrouted` for the event `id` and removes it; what else is there
  /// (other tests' and services' events) goes back when the channel closes.
  func takeUnrouted(_ id: UUID) async throws -> Bool {
    let channel = try await amqp.openChannel()
    var found = false
    while !found, let delivery = try await channel.get(queue: EventTopology.unrouted, noAck: false) {
      found = delivery.properties.messageID == id.uuidString.lowercased()
      if found { try delivery.ack() }
    }
    try await channel.close()
    return found
  }

  func count(_ sql: String) async throws -> Int {
    for try await count in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) {
      return count
    }
    return 0
  }

  /// Waits until `condition` holds, checking every 20 ms.
  func until(_ condition: @Sendable () async throws -> Bool) async throws {
    while !(try await condition()) { try await Task.sleep(for: .milliseconds(20)) }
  }
}
