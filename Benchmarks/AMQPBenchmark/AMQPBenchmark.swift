import AMQPClient
import AMQPProtocol
import ArgumentParser
import Foundation
import Logging
import NIOCore

/// `amqp-bench`: throughput of the AMQPClient library with the parameters of
/// `scripts/bench/amqp_aio_pika.py`, so that the two can be compared against one broker in
/// one run. Publishes persistent messages to a durable queue with publisher confirms and a
/// bounded number in flight, then consumes them with manual acks and a prefetch. Prints one
/// JSON object: `{"client", "messages", "publish_confirm_msgs_per_s", "consume_ack_msgs_per_s"}`.
@main
struct AMQPBenchmark {
  struct Options: ParsableArguments {
    @Option(help: "The broker.") var url = "amqp://guest:guest@127.0.0.1:5672/"
    @Option(help: "Messages per phase.") var messages = 20_000
    @Option(help: "Publishes awaiting their confirmation at most.") var inFlight = 200
    @Option(help: "Body size in bytes.") var size = 512
    @Option(help: "The consumer's prefetch.") var prefetch: UInt16 = 100
  }

  static func main() async throws {
    let options = Options.parseOrExit()
    var logger = Logger(label: "amqp-bench")
    logger.logLevel = .warning
    let connection = AMQPConnection(configuration: try AMQPConfiguration(url: options.url), logger: logger)
    let (publishRate, consumeRate) = try await AMQPConnection.withRunning(connection) {
      try await measure(connection, options)
    }
    let figures: [String: Any] = [
      "client": "swift", "messages": options.messages,
      "publish_confirm_msgs_per_s": (publishRate * 10).rounded() / 10,
      "consume_ack_msgs_per_s": (consumeRate * 10).rounded() / 10,
    ]
    let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
  }

  static func measure(_ connection: AMQPConnection, _ options: Options) async throws -> (Double, Double) {
    let queue = "bench.swift.\(ProcessInfo.processInfo.processIdentifier)"
    let publisher = try await connection.openChannel()
    try await publisher.confirmSelect()
    try await publisher.queueDeclare(queue, durable: true)
    try await publisher.queuePurge(queue)
    let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: options.size)
    let properties = AMQPBasicProperties(deliveryMode: 2)

    // One task keeps up to `inFlight` publishes unconfirmed: whenever the oldest batch is
    // confirmed, the next one goes out in a single write.
    let clock = ContinuousClock()
    let publishStart = clock.now
    let batch = max(1, min(options.inFlight / 4, 50))
    let message = AMQPOutgoingMessage(body, routingKey: queue, properties: properties)
    var pending: [AMQPPublishConfirmation] = []
    pending.reserveCapacity(options.messages)
    var confirmed = 0
    while pending.count < options.messages {
      let count = min(batch, options.messages - pending.count)
      pending += try await publisher.startPublish(Array(repeating: message, count: count))
      while pending.count - confirmed > options.inFlight - batch {
        try await pending[confirmed].confirmed()
        confirmed += 1
      }
    }
    for confirmation in pending[confirmed...] { try await confirmation.confirmed() }
    let publishTime = clock.now - publishStart
    let ready = try await publisher.queueDeclarePassive(queue).messageCount
    guard ready == options.messages else { fatalError("the queue holds \(ready) messages, not \(options.messages)") }

    let consumerChannel = try await connection.openChannel()
    try await consumerChannel.qos(prefetchCount: options.prefetch)
    let consumeStart = clock.now
    var consumed = 0
    for try await delivery in try await consumerChannel.consume(queue: queue) {
      try delivery.ack()
      consumed += 1
      if consumed == options.messages { break }
    }
    let consumeTime = clock.now - consumeStart
    try await publisher.queueDelete(queue)
    return (rate(options.messages, publishTime), rate(options.messages, consumeTime))
  }

  static func rate(_ count: Int, _ duration: Duration) -> Double {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return Double(count) / seconds
  }
}
