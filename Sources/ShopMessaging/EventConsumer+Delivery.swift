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
import Tracing

extension EventConsumer {
  /// Header counting the retries an event has had.
  static let retriesHeader = "x-shop-retries"
  /// Header with the last handler error.
  static let errorHeader = "x-shop-error"

  /// Runs the handlers of several deliveries in one transaction, which saves a commit per
  /// event when they arrive faster than they are handled, and settles each delivery:
  /// acknowledged after the commit, retried later, or dead-lettered.
  func process(_ batch: [AMQPDelivery], publisher: ConfirmChannel) async {
    var events: [Received] = []
    for delivery in batch {
      do {
        let event = try EventEnvelope(body: Data(delivery.body.readableBytesView))
        metrics.lag.record(duration: .seconds(max(0, Date().timeIntervalSince(event.occurredAt))))
        events.append(Received(delivery: delivery, event: event))
      } catch {
        // No retry makes a malformed body readable.
        logger.warning(
          "malformed event dead-lettered",
          metadata: ["messaging.message.id": "\(delivery.properties.messageID ?? "")", "error.message": "\(error)"])
        await forward(delivery, to: topology.deadLetterQueue, error: error, as: .malformed, publisher: publisher)
      }
    }
    if !events.isEmpty { await handle(events, publisher: publisher) }
  }

  struct Received {
    let delivery: AMQPDelivery
    let event: EventEnvelope
  }

  /// When a handler fails, the whole transaction rolls back; several events then go through
  /// again one at a time, so that only the failing one is retried.
  private func handle(_ events: [Received], publisher: ConfirmChannel) async {
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
        for received in events {
          // A second copy of an event in the same batch is a duplicate like any other.
          guard fresh.remove(received.event.id) != nil else {
            processed.append(false)
            continue
          }
          // A consumer span in the trace of the request that recorded the event (its
          // `traceparent` travelled in the message's headers), so that what the handler does
          // and calls is part of that request's trace.
          try await withSpan(
            "\(topology.queue) process", context: received.delivery.properties.extractTraceContext(),
            ofKind: .consumer
          ) { span in
            span.attributes["messaging.system"] = "rabbitmq"
            span.attributes["messaging.operation.type"] = "process"
            span.attributes["messaging.destination.name"] = topology.queue
            span.attributes["messaging.message.id"] = received.event.id.uuidString.lowercased()
            span.attributes["shop.event.type"] = received.event.type
            try await handler(
              received.event,
              EventContext(
                transaction: transaction, consumer: topology.queue, retries: Self.retries(of: received.delivery),
                logger: logger))
          }
          processed.append(true)
        }
        return processed
      }
    } catch {
      guard events.count == 1, let failed = events.first else {
        for received in events { await handle([received], publisher: publisher) }
        return
      }
      await self.failed(failed, error: error, publisher: publisher)
      return
    }
    for (received, processed) in zip(events, processed) {
      record(processed ? .processed : .duplicate)
      acknowledge(received.delivery)
    }
  }

  static func retries(of delivery: AMQPDelivery) -> Int {
    Int(delivery.properties.headers?[retriesHeader]?.integerValue ?? 0)
  }

  private func failed(_ received: Received, error: any Error, publisher: ConfirmChannel) async {
    let retries = Self.retries(of: received.delivery)
    logger.info(
      "event handler failed",
      metadata: [
        "event.id": "\(received.event.id)", "event.type": "\(received.event.type)",
        "messaging.retries": "\(retries)", "error.message": "\(error)",
      ])
    // No retry makes an unreadable event readable: it waits in the dead-letter queue for a
    // consumer that knows its schema.
    if let error = error as? MessagingError, [.malformedEvent, .unknownSchemaVersion].contains(error.code) {
      await forward(received.delivery, to: topology.deadLetterQueue, error: error, as: .malformed, publisher: publisher)
      return
    }
    guard retries < topology.retryDelays.count else {
      await forward(
        received.delivery, to: topology.deadLetterQueue, error: error, as: .deadLettered, publisher: publisher)
      return
    }
    await forward(
      received.delivery, to: topology.retryQueue(attempt: retries + 1), error: error, as: .retried,
      setting: [Self.retriesHeader: .int64(Int64(retries + 1))], publisher: publisher)
  }

  /// Publishes a copy of the delivery to a retry or dead-letter queue, with the error beside
  /// the broker's `x-death` history, and acknowledges the original once the broker confirmed
  /// the copy. When the copy fails, the original goes back to the queue at once; the delivery
  /// limit bounds how often.
  private func forward(
    _ delivery: AMQPDelivery, to queue: String, error: any Error, as outcome: Outcome,
    setting extra: AMQPTable = ["x-shop-dead-lettered-at": .timestamp(UInt64(Date().timeIntervalSince1970))],
    publisher: ConfirmChannel
  ) async {
    var properties = delivery.properties
    var headers = properties.headers ?? [:]
    for (key, value) in extra { headers[key] = value }
    headers[Self.errorHeader] = .string(String(describing: error).prefix(1000).description)
    properties.headers = headers
    do {
      try await publisher.channel().publish(delivery.body, routingKey: queue, mandatory: true, properties: properties)
      record(outcome)
      acknowledge(delivery)
    } catch {
      try? delivery.nack(requeue: true)
    }
  }

  private func record(_ outcome: Outcome) {
    metrics.outcomes[outcome]?.increment()
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
