import AMQPClient
import AMQPProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ShopMessaging
import ShopPersistence

/// One relay and one consumer on the benchmark's database, and writers that record events at
/// a fixed arrival rate, each in a transaction of its own.
final class Pipeline: Sendable {
  struct Result {
    let rate: Int
    let recordedRate: Double
    let handled: Int
    let p50: Double
    let p99: Double
    let maximum: Double
    /// Events not yet handled when the writers stopped, and where they were: still in the
    /// outbox, or in the consumer's queue (the rest were in flight).
    let pending: Int
    let inOutbox: Int
    let inQueue: Int
    /// The writers kept the rate and, when they stopped, less than a quarter of a second's
    /// worth of events waited: the backlog did not grow.
    let sustained: Bool
  }

  static let type = "bench.event_recorded"
  let client: PostgresClient
  let amqp: AMQPConnection
  let logger: Logger
  let outbox = Outbox(source: "events-bench")
  let relay: OutboxRelay
  let consumer: EventConsumer
  let log = LatencyLog()

  init(client: PostgresClient, amqp: AMQPConnection, logger: Logger) {
    self.client = client
    self.amqp = amqp
    self.logger = logger
    relay = OutboxRelay(service: "bench", client: client, amqp: amqp, logger: logger)
    let log = self.log
    consumer = EventConsumer(
      queue: "bench.events.latency", routingKeys: [Self.type], client: client, amqp: amqp,
      options: .init(prefetch: 500, concurrency: 8, batchSize: 100), logger: logger
    ) { event, _ in
      log.handled(event.id)
    }
  }

  func running<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    let group = ServiceGroup(
      services: [relay, consumer], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      while !consumer.isConsuming { try await Task.sleep(for: .milliseconds(20)) }
      let result = try await body()
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      return result
    }
  }

  /// Records events at `rate` per second for `seconds`, open loop, then waits (up to a
  /// second after the last commit, longer to drain) for their handlers.
  func measure(rate: Int, seconds: Int) async throws -> Result {
    log.reset()
    let total = rate * seconds
    let interval = Duration.seconds(1) / rate
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { writers in
      var inFlight = 0
      for index in 0..<total {
        let scheduled = start + interval * index
        if scheduled > .now { try await Task.sleep(until: scheduled) }
        if inFlight == 64 {
          try await writers.next()
          inFlight -= 1
        }
        inFlight += 1
        writers.addTask { try await self.record() }
      }
      try await writers.waitForAll()
    }
    let recordedRate = Double(total) / Double((ContinuousClock.now - start) / .milliseconds(1)) * 1000
    let pending = total - log.count
    let inOutbox = try await count("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    let probe = try await amqp.openChannel()
    let inQueue = Int(try await probe.queueDeclarePassive(consumer.topology.queue).messageCount)
    try await probe.close()
    let drainStart = ContinuousClock.now
    while log.count < total && ContinuousClock.now - drainStart < .seconds(120) {
      try await Task.sleep(for: .milliseconds(10))
    }
    let sorted = log.sorted
    func percentile(_ p: Double) -> Double {
      sorted.isEmpty ? .infinity : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
    return Result(
      rate: rate, recordedRate: recordedRate, handled: sorted.count, p50: percentile(0.5), p99: percentile(0.99),
      maximum: sorted.last ?? .infinity, pending: pending, inOutbox: inOutbox, inQueue: inQueue,
      sustained: recordedRate >= Double(rate) * 0.95 && pending <= rate / 4)
  }

  private func count(_ sql: String) async throws -> Int {
    for try await count in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) {
      return count
    }
    return 0
  }

  private func record() async throws {
    let event = OutboxEvent(type: Self.type, aggregateID: UUID(), aggregateVersion: 1, data: ["bench": "x"])
    try await client.transaction(logger: logger) { transaction in
      try await outbox.record(event, in: transaction, logger: logger)
    }
    log.committed(event.id, at: .now)
  }

  func deleteQueues() async throws {
    let channel = try await amqp.openChannel()
    for queue in consumer.topology.queues { try await channel.queueDelete(queue) }
    try await channel.close()
  }
}
