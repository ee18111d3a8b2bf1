import AMQPClient
import AMQPProtocol
import CoreMetrics
import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ShopPersistence
import Synchronization

extension EventConsumer {
  /// Header counting the retries an event has had.
  static let retriesHeader = "x-shop-retries"
  /// Header with the last handler error.
  static let errorHeader = "x-shop-error"

  /// Runs the handlers of several deliveries in one transaction, which saves a commit per
  /// event when they arrive faster than they are handled. When one handler fails the whole
  /// transaction rolls back and each delivery goes through on its own, so that only the
  /// failing one is retried.
  func process(_ batch: [AMQPDelivery], publisher: ConfirmChannel) async {
    guard batch.count > 1 else {
      if let delivery = batch.first { await process(delivery, publisher: publisher) }
      return
    }
    var events: [(delivery: AMQPDelivery, event: EventEnvelope)] = []
    for delivery in batch {
      if let event = try? EventEnvelope(body: Data(delivery.body.readableBytesView)) {
        events.append((delivery, event))
      } else {
        await process(delivery, publisher: publisher)
      }
    }
    // In one order for every batch, so that two batches holding copies of the same events
    // cannot wait for each other's rows.
    let ids = events.map(\.event.id).sorted { $0.uuidString < $1.uuidString }
    let processed: [Bool]
    do {
      processed = try await client.transaction(logger: logger) { transaction in
        let inserted = try await transaction.query(
          """
          INSERT INTO processed_events (consumer, event_id) SELECT \(topology.queue), unnest(\(ids))
          ON CONFLICT DO NOTHING RETURNING event_id
          """,
          logger: logger)
        var fresh = Set<UUID>()
        for try await id in inserted.decode(UUID.self) { fresh.insert(id) }
        var processed: [Bool] = []
        for (delivery, event) in events {
          // A second copy of an event in the same batch is a duplicate like any other.
          guard fresh.remove(event.id) != nil else {
            processed.append(false)
            continue
          }
          metrics.lag.record(duration: .seconds(max(0, Date().timeIntervalSince(event.occurredAt))))
          try await handler(
            event,
            EventContext(
              transaction: transaction, consumer: topology.queue, retries: Self.retries(of: delivery), logger: logger))
          processed.append(true)
        }
        return processed
      }
    } catch {
      for (delivery, _) in events { await process(delivery, publisher: publisher) }
      return
    }
    for ((delivery, _), processed) in zip(events, processed) {
      record(processed ? "processed" : "duplicate")
      acknowledge(delivery)
    }
  }

  static func retries(of delivery: AMQPDelivery) -> Int {
    Int(delivery.properties.headers?[retriesHeader]?.integerValue ?? 0)
  }

  /// Runs the handler for one delivery and settles it: acknowledged after the commit, or
  /// retried later, or dead-lettered.
  func process(_ delivery: AMQPDelivery, publisher: ConfirmChannel) async {
    let event: EventEnvelope
    do {
      event = try EventEnvelope(body: Data(delivery.body.readableBytesView))
    } catch {
      // No retry makes a malformed body readable.
      record("malformed")
      logger.warning(
        "malformed event dead-lettered",
        metadata: ["messaging.message.id": "\(delivery.properties.messageID ?? "")", "error.message": "\(error)"])
      await deadLetter(delivery, error: error, publisher: publisher)
      return
    }
    let retries = Self.retries(of: delivery)
    metrics.lag.record(duration: .seconds(max(0, Date().timeIntervalSince(event.occurredAt))))
    let processed: Bool
    do {
      processed = try await client.transaction(logger: logger) { transaction in
        let inserted = try await transaction.query(
          """
          INSERT INTO processed_events (consumer, event_id) VALUES (\(topology.queue), \(event.id))
          ON CONFLICT DO NOTHING RETURNING event_id
          """,
          logger: logger)
        var fresh = false
        for try await _ in inserted { fresh = true }
        guard fresh else { return false }
        try await handler(
          event, EventContext(transaction: transaction, consumer: topology.queue, retries: retries, logger: logger))
        return true
      }
    } catch {
      await failed(delivery, event: event, retries: retries, error: error, publisher: publisher)
      return
    }
    record(processed ? "processed" : "duplicate")
    acknowledge(delivery)
  }

  private func failed(
    _ delivery: AMQPDelivery, event: EventEnvelope, retries: Int, error: any Error, publisher: ConfirmChannel
  ) async {
    logger.info(
      "event handler failed",
      metadata: [
        "event.id": "\(event.id)", "event.type": "\(event.type)", "messaging.retries": "\(retries)",
        "error.message": "\(error)",
      ])
    guard retries < topology.retryDelays.count else {
      await deadLetter(delivery, error: error, publisher: publisher)
      return
    }
    var properties = delivery.properties
    var headers = properties.headers ?? [:]
    headers[Self.retriesHeader] = .int64(Int64(retries + 1))
    headers[Self.errorHeader] = .string(String(describing: error).prefix(1000).description)
    properties.headers = headers
    do {
      try await publisher.channel().publish(
        delivery.body, routingKey: topology.retryQueue(attempt: retries + 1), mandatory: true, properties: properties)
      record("retried")
      acknowledge(delivery)
    } catch {
      // Back to the queue at once; the delivery limit bounds how often.
      try? delivery.nack(requeue: true)
    }
  }

  /// Moves a delivery to the dead-letter queue, with the last error beside the broker's
  /// `x-death` history of its retries.
  func deadLetter(_ delivery: AMQPDelivery, error: any Error, publisher: ConfirmChannel) async {
    var properties = delivery.properties
    var headers = properties.headers ?? [:]
    headers[Self.errorHeader] = .string(String(describing: error).prefix(1000).description)
    headers["x-shop-dead-lettered-at"] = .timestamp(UInt64(Date().timeIntervalSince1970))
    properties.headers = headers
    do {
      try await publisher.channel().publish(
        delivery.body, routingKey: topology.deadLetterQueue, mandatory: true, properties: properties)
      record("dead_lettered")
      metrics.deadLettered.increment()
      acknowledge(delivery)
    } catch {
      try? delivery.nack(requeue: true)
    }
  }

  private func record(_ outcome: String) {
    metrics.outcome(outcome)
    counts.withLock { $0[outcome, default: 0] += 1 }
  }

  private func acknowledge(_ delivery: AMQPDelivery) {
    do {
      try delivery.ack()
    } catch {
      // The connection was lost; the broker delivers it again and the inbox skips it.
      logger.debug("acknowledgement lost with the connection", metadata: ["error.message": "\(error)"])
    }
  }
}
