import AMQPClient
import AMQPProtocol
import Foundation
import NIOCore

/// What RabbitMQ sustains on its own, for comparison: persistent messages the size of an
/// event, published with confirms (200 in flight) into a durable quorum queue, then consumed
/// with acks; the rate of the whole, from the first publish to the last ack.
enum BrokerBaseline {
  static func measure(_ amqp: AMQPConnection, messages: Int = 20_000) async throws -> Double {
    let queue = "bench.events.baseline"
    let publisher = try await amqp.openChannel()
    try await publisher.confirmSelect()
    try await publisher.queueDeclare(queue, durable: true, arguments: AMQPQueueArguments(type: .quorum).table)
    try await publisher.queuePurge(queue)
    let consumerChannel = try await amqp.openChannel()
    try await consumerChannel.qos(prefetchCount: 200)
    let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 420)
    let properties = AMQPBasicProperties(contentType: "application/json", deliveryMode: 2)
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        var received = 0
        for try await delivery in try await consumerChannel.consume(queue: queue) {
          try delivery.ack()
          received += 1
          if received == messages { break }
        }
      }
      var pending: [AMQPPublishConfirmation] = []
      var confirmed = 0
      for _ in 0..<messages {
        pending.append(try await publisher.startPublish(body, routingKey: queue, properties: properties))
        if pending.count - confirmed >= 200 {
          try await pending[confirmed].confirmed()
          confirmed += 1
        }
      }
      for confirmation in pending[confirmed...] { try await confirmation.confirmed() }
      try await group.waitForAll()
    }
    let seconds = Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
    try await publisher.queueDelete(queue)
    return Double(messages) / seconds
  }
}
