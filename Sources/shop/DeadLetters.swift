import AMQPClient
import ArgumentParser
import Logging
import ShopConfiguration
import ShopMessaging

/// `shop dlq list|retry|purge --queue Q`: the events a consumer gave up on.
struct DeadLetters: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dlq", abstract: "Inspect, retry or drop a consumer's dead-lettered events.",
    subcommands: [List.self, Retry.self, Purge.self])

  struct Target: ParsableArguments {
    @Option(help: "The consumer's queue (or its .dlq).") var queue: String

    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --amqp-url.")
    var options: [String] = []

    func withQueue<T: Sendable>(_ body: @escaping @Sendable (DeadLetterQueue) async throws -> T) async throws -> T {
      let config = ShopConfig.reader(arguments: options)
      return try await withBroker(config, logger: Logger(label: "shop.dlq")) { amqp in
        try await body(try DeadLetterQueue(queue: queue, amqp: amqp))
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show dead-lettered events; they stay in the queue.")
    @OptionGroup var target: Target
    @Option(help: "At most this many.") var limit = 100

    func run() async throws {
      let entries = try await target.withQueue { [limit] in try await $0.list(limit: limit) }
      print("\(entries.count) dead-lettered event(s) in \(EventTopology.deadLetterQueue(of: target.queue))")
      for entry in entries {
        print(
          "- \(entry.messageID ?? "?") \(entry.type ?? "?"): \(entry.retries) retries, error: \(entry.error ?? "-")")
        for death in entry.deaths { print("    \(death.reason) from \(death.queue) ×\(death.count)") }
        print("    \(entry.body)")
      }
    }
  }

  struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Send dead-lettered events back to their consumer, with their retries reset.")
    @OptionGroup var target: Target
    @Option(help: "At most this many (default: all).") var limit: Int?

    func run() async throws {
      let moved = try await target.withQueue { [limit] in try await $0.retry(limit: limit ?? .max) }
      print("sent \(moved) event(s) back to \(target.queue)")
    }
  }

  struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Drop every dead-lettered event.")
    @OptionGroup var target: Target

    func run() async throws {
      let dropped = try await target.withQueue { try await $0.purge() }
      print("dropped \(dropped) event(s)")
    }
  }
}
