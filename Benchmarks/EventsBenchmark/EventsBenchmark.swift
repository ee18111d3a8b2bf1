import AMQPClient
import AMQPProtocol
import ArgumentParser
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import ShopMessaging
import ShopPersistence
import Synchronization

/// `events-bench`: how long an event takes from the commit that recorded it to its handler
/// in a consumer, through a real outbox relay, RabbitMQ and inbox, at a steady rate; then the
/// highest rate the pipeline sustains; then, for scale, what RabbitMQ alone sustains for
/// confirmed persistent messages into a quorum queue, consumed with acks. Works in a database
/// and queues of its own, dropped afterwards. Prints a table, then one JSON object
/// `{"rate_per_s", "p50_ms", "p99_ms", "max_events_per_s"}`.
@main
struct EventsBenchmark {
  struct Options: ParsableArguments {
    @Option(help: "The broker.") var amqpURL = "amqp://guest:guest@127.0.0.1:5672/"
    @Option(help: "Events per second of the steady phase.") var rate = 500
    @Option(help: "Length of the steady phase.") var seconds = 30
    @Option(help: "Length of each step of the ramp.") var stepSeconds = 10
  }

  /// A database of the benchmark's own on the local PostgreSQL, dropped afterwards.
  static let database = DatabaseConfiguration(database: "bench_events", maxConnections: 40)

  static func main() async throws {
    let options = Options.parseOrExit()
    let logger = {
      var logger = Logger(label: "events-bench")
      logger.logLevel = .warning
      return logger
    }()
    try await BenchDatabase.with(database, logger: logger) { client in
      let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: options.amqpURL), logger: logger)
      try await AMQPConnection.withRunning(amqp) {
        try await run(options, client: client, amqp: amqp, logger: logger)
      }
    }
  }

  static func run(_ options: Options, client: PostgresClient, amqp: AMQPConnection, logger: Logger) async throws {
    let pipeline = Pipeline(client: client, amqp: amqp, logger: logger)
    let (steady, maximum, steps) = try await pipeline.running {
      let steady = try await pipeline.measure(rate: options.rate, seconds: options.seconds)
      var steps: [Pipeline.Result] = []
      var maximum = 0
      for rate in [1000, 1500, 2000, 3000, 4000, 6000, 8000] {
        let step = try await pipeline.measure(rate: rate, seconds: options.stepSeconds)
        steps.append(step)
        guard step.sustained else { break }
        maximum = rate
      }
      return (steady, maximum, steps)
    }
    let broker = try await BrokerBaseline.measure(amqp)
    try await pipeline.deleteQueues()

    print(
      "events: commit → handler, one relay and one consumer (8 handlers, up to 100 events per transaction), local stack"
    )
    print("rate/s    recorded/s  handled   p50 ms   p99 ms   max ms   pending  in outbox  in queue  sustained")
    for result in [steady] + steps {
      print(
        [
          pad("\(result.rate)", 10), pad(String(format: "%.0f", result.recordedRate), 12),
          pad("\(result.handled)", 10), pad(String(format: "%.1f", result.p50), 9),
          pad(String(format: "%.1f", result.p99), 9), pad(String(format: "%.1f", result.maximum), 9),
          pad("\(result.pending)", 9), pad("\(result.inOutbox)", 11), pad("\(result.inQueue)", 10),
          result.sustained ? "yes" : "no",
        ].joined())
    }
    let fraction = broker > 0 ? Double(maximum) / broker : 0
    print(
      String(
        format: "highest sustained rate %d events/s; RabbitMQ alone: %.0f confirmed persistent msgs/s (fraction %.2f)",
        maximum, broker, fraction))
    let figures: [String: Any] = [
      "rate_per_s": options.rate, "p50_ms": (steady.p50 * 10).rounded() / 10,
      "p99_ms": (steady.p99 * 10).rounded() / 10, "max_events_per_s": maximum,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self))
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
