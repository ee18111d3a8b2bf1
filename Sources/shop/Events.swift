import AMQPClient
import ArgumentParser
import Configuration
import Foundation
import Logging
import ShopConfiguration
import ShopMessaging
import ShopPersistence

/// `shop events status|replay`: the outboxes and their relays.
struct Events: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Inspect the services' outboxes and replay their events.", subcommands: [Status.self, Replay.self])

  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Per service: events waiting to be published, the oldest one's age, and the relays.")

    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --database-host.")
    var options: [String] = []

    func run() async throws {
      let config = ShopConfig.reader(arguments: options)
      let logger = Logger(label: "shop.events")
      var unreachable = 0
      for database in ServiceDatabase.all where database.usesEvents {
        let configuration = database.configuration(config)
        do {
          let status = try await withPostgres(configuration, logger: logger) { client in
            try await OutboxStatus.read(client, logger: logger)
          }
          let oldest = status.backlog.oldestAge.map { String(format: "%.1fs", $0) } ?? "-"
          print("\(database.service): backlog \(status.backlog.count), oldest unpublished \(oldest)")
          if status.relays.isEmpty { print("  no relay has reported") }
          for relay in status.relays {
            let seen =
              switch (relay.state, relay.silentFor > 30) {
              case ("stopped", _): "stopped \(Int(relay.silentFor))s ago"
              case (let state, true): "gone, last seen \(Int(relay.silentFor))s ago \(state)"
              case (let state, false): state
              }
            let detail = relay.detail.map { " (\($0))" } ?? ""
            print("  relay \(relay.instance): \(seen)\(detail), published \(relay.published)")
          }
        } catch {
          unreachable += 1
          print("\(database.service): cannot read the outbox: \(String(reflecting: error))")
        }
      }
      if unreachable > 0 { throw ExitCode(1) }
    }
  }

  struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Publish again the events a service recorded in a time range.",
      discussion: """
        Consumers skip events they already processed, so a replay only fills in what they \
        missed. Times are RFC 3339 (2026-11-20T00:00:00Z) or an age (90m, 24h, 7d).
        """)

    @Option(help: "The service whose outbox to replay: \(ServiceDatabase.names).") var service: String
    @Option(help: "The earliest event time.") var since: String
    @Option(help: "The time before which events are replayed (default: now).") var until: String?
    @Option(help: "Only events of this type, such as user.registered.") var type: String?
    @Option(
      name: [.customLong("to-queue"), .customLong("to")], help: "Publish to this queue only instead of shop.events.")
    var toQueue: String?

    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --amqp-url.")
    var options: [String] = []

    func run() async throws {
      guard let database = ServiceDatabase.named(service) else {
        throw ValidationError("unknown service \(service); known: \(ServiceDatabase.names)")
      }
      let replay: EventReplay
      do {
        replay = try EventReplay(
          since: try Self.time(since), until: try until.map(Self.time), type: type, toQueue: toQueue)
      } catch let error as MessagingError {
        throw ValidationError(error.message)
      }
      let config = ShopConfig.reader(arguments: options)
      let logger = Logger(label: "shop.events")
      let configuration = database.configuration(config)
      let outcome = try await withPostgres(configuration, logger: logger) { client in
        try await withBroker(config, logger: logger) { amqp in
          try await replay.run(client: client, amqp: amqp, logger: logger)
        }
      }
      print(
        "\(service): replayed \(outcome.published) events, \(outcome.unroutable) of them unroutable (no queue bound)")
    }

    static func time(_ text: String) throws -> Date {
      if let date = try? Date(text, strategy: .iso8601) { return date }
      let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86400]
      if let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount >= 0 {
        return Date().addingTimeInterval(-amount * unit)
      }
      throw ValidationError("\(text) is neither an RFC 3339 time nor an age such as 24h")
    }
  }
}

/// Runs `body` with a connected broker, for commands that do one job and exit.
func withBroker<T: Sendable>(
  _ config: ConfigReader, logger: Logger, _ body: @escaping @Sendable (AMQPConnection) async throws -> T
) async throws -> T {
  var configuration = try MessagingConfiguration(config: config).amqpConfiguration(name: "cli")
  configuration.automaticRecovery = false
  let connection = AMQPConnection(configuration: configuration, logger: logger)
  return try await AMQPConnection.withRunning(connection) { try await body(connection) }
}
