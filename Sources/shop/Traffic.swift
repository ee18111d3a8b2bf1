import ArgumentParser
import Foundation
import Logging
import ShopConfiguration
import ShopObservability
import TrafficGenerator

/// `shop traffic`: the traffic generator, steered through its control port (`GET /status`,
/// `PUT /mode`), until SIGTERM or SIGINT; `shop traffic run` is a bounded load test.
struct Traffic: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the traffic generator (control port 3020), or a bounded load test with 'run'.",
    subcommands: [Generate.self, Run.self],
    defaultSubcommand: Generate.self
  )

  struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve", abstract: "Run the generator until stopped, steered through its control port.")

    @Argument(parsing: .captureForPassthrough, help: "Configuration options, such as --traffic-users 200.")
    var options: [String] = []

    func run() async throws {
      let config = ShopConfig.reader(arguments: options)
      let observability = try Observability.bootstrap(.init(serviceName: TrafficApp.name, config: config))
      let logger = Logger(label: "shop.traffic")
      let services = TrafficApp.services(
        configuration: try TrafficConfiguration(config: config), registry: observability.registry, logger: logger)
      try await Serve.run(services, observability: observability, name: TrafficApp.name, logger: logger)
    }
  }

  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "A bounded load test: prints a table, writes JSON and HTML reports, fails when the SLO is missed.")

    @Option(help: "Concurrent virtual customers.") var users = 1000
    @Option(help: "How long sessions arrive, such as 60s or 2m.") var duration = "60s"
    @Option(help: "How long the rate takes to rise to its full value.") var ramp = "10s"
    @Option(help: "The SLO over every request, such as \"p95<500ms,errors<1%\".") var slo = "p95<500ms,errors<1%"
    @Option(help: "Sessions per second (default: what keeps nine in ten users busy).") var rate: Double?
    @Option(help: "steady, burst or overload.") var mode = "steady"
    @Option(help: "standard, or faults for the flaky and slow cards as well.") var mix = "standard"
    @Option(help: "Where the JSON and HTML reports go.") var reports = ".run/reports"

    @Argument(parsing: .captureForPassthrough, help: "Configuration options, such as --traffic-target URL.")
    var options: [String] = []

    func run() async throws {
      let config = ShopConfig.reader(arguments: options + ["--traffic-mix", mix])
      LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .warning
        return handler
      }
      let logger = Logger(label: "shop.traffic.run")
      guard let mode = TrafficSettings.Mode(rawValue: mode), mode != .pause else {
        throw ValidationError("--mode must be steady, burst or overload")
      }
      let options = LoadTest.Options(
        users: users, duration: try DurationText.parse(duration), ramp: try DurationText.parse(ramp),
        slo: try SLO(parsing: slo), rate: rate, mode: mode, reports: reports)
      let (report, json, html) = try await LoadTest.run(
        configuration: try TrafficConfiguration(config: config), options: options, logger: logger
      ) { print("[traffic] \($0)") }
      print(report.table)
      print("reports: \(json)\n         \(html)")
      if !report.sloMet { throw ExitCode(1) }
    }
  }
}
