import AMQPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import ShopContracts
import ShopMessaging
import ShopResilience

/// Feeds ``OrderUpdates`` from the broker: `order.status_changed` through a queue of this
/// gateway instance's own (exclusive, gone with its connection), so that every instance sees
/// every change. Nothing is acknowledged: whenever it follows again after an interruption,
/// every open stream reads its order's history for the changes missed while the broker was
/// away (``OrderUpdates/resumed()``). On graceful shutdown it stops and closes the updates,
/// which ends the streams.
struct OrderStatusFeed: Service {
  let connection: AMQPConnection
  let updates: OrderUpdates
  let queue: String
  let logger: Logger

  func run() async throws {
    defer { updates.close() }
    await cancelWhenGracefulShutdown {
      await repeatUntilCancelled(
        backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(5)),
        onFailure: { error, delay in
          logger.warning(
            "order updates interrupted", metadata: ["error.message": "\(error)", "retry.delay": "\(delay)"])
        }, consume)
    }
  }

  private func consume() async throws {
    let channel = try await connection.openChannel()
    do {
      try await follow(on: channel)
    } catch {
      try? await channel.close()
      throw error
    }
    try? await channel.close()
  }

  private func follow(on channel: AMQPChannel) async throws {
    try await EventTopology.declareExchange(on: channel)
    try await channel.queueDeclare(queue, durable: false, exclusive: true, autoDelete: true)
    try await channel.queueBind(queue, exchange: EventTopology.exchange, routingKey: OrderStatusChanged.type)
    let consumer = try await channel.consume(queue: queue, noAck: true, exclusive: true)
    logger.info("following order updates", metadata: ["messaging.destination.name": "\(queue)"])
    updates.resumed()
    for try await delivery in consumer {
      do {
        let envelope = try EventEnvelope(body: Data(delivery.body.readableBytesView))
        // Most changes are of orders nobody follows here: their data is not read.
        guard updates.streams(of: envelope.aggregateID.uuidString.lowercased()) > 0 else { continue }
        updates.publish(try envelope.decode(OrderStatusChanged.self))
      } catch {
        logger.warning("order update not read", metadata: ["error.message": "\(error)"])
      }
    }
  }
}
