import ArgumentParser
import Configuration
import Foundation
import FulfillmentQueue
import Logging
import RedisClient
import ShopConfiguration

/// `shop fulfillment status|retry`: the fulfillment job streams in Redis.
struct Fulfillment: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Inspect the fulfillment jobs, or send dead jobs back.", subcommands: [Status.self, Retry.self])

  struct Target: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --redis-url.")
    var options: [String] = []

    /// Runs `body` with a queue on a running Redis client, within 30 s.
    func withQueue<T: Sendable>(_ body: @escaping @Sendable (FulfillmentQueue) async throws -> T) async throws -> T {
      let config = ShopConfig.reader(arguments: options)
      var configuration = try RedisConfiguration(
        url: config.string(forKey: "redis.url", isSecret: true, default: "redis://127.0.0.1:6379"))
      configuration.poolSize = 1
      configuration.clientName = "shop-fulfillment"
      let redis = RedisClient(configuration: configuration, logger: Logger(label: "shop.fulfillment"))
      return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
          try await redis.run()
          return nil
        }
        group.addTask {
          try await Task.sleep(for: .seconds(30))
          throw ValidationError("Redis did not answer within 30 s")
        }
        group.addTask { try await body(FulfillmentQueue(redis: redis)) }
        defer { group.cancelAll() }
        while let result = try await group.next() {
          if let result { return result }
        }
        throw ValidationError("Redis client stopped")
      }
    }
  }

  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The jobs waiting, pending per worker, the oldest pending age and the dead jobs.")
    @OptionGroup var target: Target

    func run() async throws {
      let status = try await target.withQueue { try await $0.status() }
      print("fulfillment:jobs     \(status.length) job(s) on the stream, \(status.pending) pending")
      for (consumer, count) in status.pendingByConsumer.sorted(by: { $0.key < $1.key }) {
        print("  \(consumer): \(count) pending")
      }
      let age = status.oldestPendingAge.map {
        "\(Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18) s"
      }
      print("oldest pending        \(age ?? "-")")
      print("fulfillment:dead      \(status.deadCount) dead job(s)")
      for entry in status.dead {
        let order = entry.fields["order_id"] ?? "?"
        print(
          "  \(entry.id) order \(order): \(entry.fields["attempts"] ?? "?") attempts, error: \(entry.fields["error"] ?? "-")"
        )
      }
    }
  }

  struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Move dead jobs back onto fulfillment:jobs, their attempts starting again.")
    @OptionGroup var target: Target
    @Option(help: "At most this many.") var limit = 1000

    func run() async throws {
      let moved = try await target.withQueue { [limit] in try await $0.retryDead(limit: limit) }
      print("moved \(moved) dead job(s) back to fulfillment:jobs")
    }
  }
}
