import AMQPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Consumes the events bound to one queue and runs a handler for each, exactly once in effect.
///
/// The handler runs inside a database transaction that also inserts the event's id into
/// `processed_events`; an event already there is a duplicate (a redelivery, a relay that
/// published twice, a replay) and is acknowledged without running the handler. The delivery
/// is acknowledged only after the commit, so a crash in between redelivers it and the inbox
/// absorbs it. A handler that throws is retried after each of the topology's retry delays,
/// then the event goes to the dead-letter queue with its history.
public final class EventConsumer: Service, Sendable {
  public typealias Handler = @Sendable (EventEnvelope, EventContext) async throws -> Void

  public struct Options: Sendable {
    /// Deliveries the broker sends ahead of the acknowledgements.
    public var prefetch: UInt16
    /// Handlers that may run at once.
    public var concurrency: Int
    /// Most events one handler takes in one transaction, when they arrive faster than they
    /// are handled.
    public var batchSize: Int
    /// Waits before each retry of a failed event; the event is dead-lettered after the last.
    public var retryDelays: [Duration]
    /// Redeliveries without an answer (a crash) after which the broker dead-letters an event.
    public var deliveryLimit: Int

    public init(
      prefetch: UInt16 = 50, concurrency: Int = 8, batchSize: Int = 50,
      retryDelays: [Duration] = [.seconds(1), .seconds(10), .seconds(60)], deliveryLimit: Int = 20
    ) {
      self.prefetch = prefetch
      self.concurrency = concurrency
      self.batchSize = batchSize
      self.retryDelays = retryDelays
      self.deliveryLimit = deliveryLimit
    }
  }

  public let topology: EventTopology
  let client: PostgresClient
  let amqp: AMQPConnection
  let options: Options
  let logger: Logger
  let metrics: ConsumerMetrics
  let handler: Handler
  let counts = Mutex<[Outcome: Int]>([:])
  let consuming = Atomic(false)

  public init(
    queue: String, routingKeys: [String], client: PostgresClient, amqp: AMQPConnection, options: Options = Options(),
    logger: Logger, handler: @escaping Handler
  ) {
    self.topology = EventTopology(
      queue: queue, routingKeys: routingKeys, retryDelays: options.retryDelays, deliveryLimit: options.deliveryLimit)
    self.client = client
    self.amqp = amqp
    self.options = options
    var logger = logger
    logger[metadataKey: "messaging.consumer"] = "\(queue)"
    self.logger = logger
    self.metrics = ConsumerMetrics(consumer: queue)
    self.handler = handler
  }

  /// How an event's delivery ended.
  public enum Outcome: String, Sendable, CaseIterable {
    case processed, duplicate, retried, malformed
    case deadLettered = "dead_lettered"
  }

  /// How many deliveries ended in each outcome.
  public var outcomes: [Outcome: Int] { counts.withLock { $0 } }

  /// Whether the topology is declared and deliveries are coming.
  public var isConsuming: Bool { consuming.load(ordering: .relaxed) }

  /// Declares the topology, then consumes until graceful shutdown, when it cancels the
  /// consumer and lets the handlers in flight finish. A consumer ended by the broker (its
  /// queue deleted) or a closed channel starts over after a pause.
  public func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        try await consumeUntilShutdown()
        return
      } catch {
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        logger.info("event consumer interrupted; starting over", metadata: ["error.message": "\(error)"])
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
      }
    }
  }

  private func consumeUntilShutdown() async throws {
    let channel = try await amqp.openChannel()
    // Retries and dead letters are published on a channel of their own, with confirms.
    let publisher = ConfirmChannel(amqp: amqp)
    do {
      try await consume(on: channel, publisher: publisher)
    } catch {
      try? await channel.close()
      await publisher.reset()
      throw error
    }
    try? await channel.close()
    await publisher.reset()
  }

  private func consume(on channel: AMQPChannel, publisher: ConfirmChannel) async throws {
    try await topology.declare(on: channel)
    try await channel.qos(prefetchCount: options.prefetch)
    let consumer = try await channel.consume(queue: topology.queue)
    consuming.store(true, ordering: .relaxed)
    defer { consuming.store(false, ordering: .relaxed) }
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        try await gracefulShutdown()
        try await channel.cancel(consumer)
      }
      let batcher = DeliveryBatcher(maximum: options.batchSize)
      let ended: Result<Void, any Error> = await withTaskGroup(of: Void.self) { handlers in
        for _ in 0..<max(1, options.concurrency) {
          handlers.addTask {
            while let batch = await batcher.next() { await self.process(batch, publisher: publisher) }
          }
        }
        defer { batcher.finish() }
        do {
          for try await delivery in consumer { batcher.push(delivery) }
          return .success(())
        } catch {
          return .failure(error)
        }
      }
      group.cancelAll()
      try ended.get()
    }
  }
}
