import AMQPClient
import AMQPProtocol
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import ShopContracts
import ShopMessaging
import ShopTestSupport
import Testing

@testable import APIGateway

/// The feed against the real RabbitMQ: `order.status_changed` on the events exchange reaches
/// the streams of its order through the instance's own queue, and a shutdown ends them.
@Suite(.enabled(if: Infra.rabbitmq, "RabbitMQ is not reachable"))
struct OrderStatusFeedTests {
  static func envelope(_ event: OrderStatusChanged) throws -> ByteBuffer {
    let data = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(event))
    let envelope: [String: Any] = [
      "id": UUID().uuidString, "type": OrderStatusChanged.type, "source": "order",
      "occurred_at": "2026-12-03T10:00:00Z", "aggregate_id": event.orderID, "aggregate_version": 1,
      "correlation_id": "test", "schema_version": OrderStatusChanged.schemaVersion, "data": data,
    ]
    return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: envelope))
  }

  @Test func aChangeOnTheBrokerReachesItsOrdersStreamAndShutdownEndsIt() async throws {
    try await ServerLock.broker.steady {
      try await withDeadline(.seconds(60)) {
        let logger = Logger(label: "test.gateway.feed")
        let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: Infra.amqpURL), logger: logger)
        let updates = OrderUpdates()
        let queue = "test.gateway.order-updates.\(UUID().uuidString.prefix(8).lowercased())"
        let feed = OrderStatusFeed(connection: amqp, updates: updates, queue: queue, logger: logger)
        let order = UUID().uuidString
        let subscription = updates.subscribe(orderID: order)
        let group = ServiceGroup(
          services: [amqp, feed], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
          tasks.addTask { try await group.run() }
          let channel = try await amqp.openChannel()
          // The feed's queue exists once it follows the updates.
          try await waitUntil {
            let probe = try await amqp.openChannel()
            // A missing queue closes the probe's channel.
            let consumers = (try? await probe.queueDeclarePassive(queue))?.consumerCount
            try? await probe.close()
            return consumers == 1
          }
          try await channel.publish(
            ByteBuffer(string: "not an envelope"), exchange: EventTopology.exchange, routingKey: OrderStatusChanged.type
          )
          for (id, to) in [(UUID().uuidString, "shipped"), (order, "shipped"), (order, "delivered")] {
            let event = OrderStatusChanged(orderID: id, userID: "u1", from: "paid", to: to, at: "2026-12-03T10:00:00Z")
            try await channel.publish(
              try Self.envelope(event), exchange: EventTopology.exchange, routingKey: OrderStatusChanged.type)
          }
          var seen: [String] = []
          for await signal in subscription.signals {
            guard case .change(let event) = signal else { continue }
            seen.append(event.to)
            if seen.count == 2 { break }
          }
          // The unreadable message and the other order's change were passed over.
          #expect(seen == ["shipped", "delivered"])
          try await channel.close()
          await group.triggerGracefulShutdown()
          try await tasks.waitForAll()
        }
        // Closed by the shutdown: a stream opened now ends at once.
        var late = updates.subscribe(orderID: order).signals.makeAsyncIterator()
        #expect(await late.next() == nil)
      }
    }
  }
}
