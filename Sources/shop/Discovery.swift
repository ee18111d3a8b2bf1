import ArgumentParser
import Foundation
import Logging
import ShopConfiguration
import ShopDiscovery
import ShopObservability

/// `shop discovery list`: the instances registered in etcd; `shop discovery targets`: them
/// as Prometheus's scrape targets.
struct Discovery: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Inspect the service registry.", subcommands: [List.self, Targets.self])

  static func etcd(_ options: [String]) -> String {
    DiscoveryConfiguration(config: ShopConfig.reader(arguments: options))?.etcd ?? "127.0.0.1:2379"
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print every registered instance: role, instance, address, admin port, serving, version, start.")

    @Option(help: "Only the instances of this role.") var role: String?
    @Flag(help: "One JSON record per line instead of a table.") var json = false

    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --discovery-etcd 127.0.0.1:2379.")
    var options: [String] = []

    func run() async throws {
      let etcd = Discovery.etcd(options)
      let records = try await RegisteredInstances.list(etcd: etcd, role: role)
      if json {
        for record in records { print(String(decoding: record.encoded(), as: UTF8.self)) }
        return
      }
      let rows =
        [["ROLE", "INSTANCE", "ADDRESS", "ADMIN", "SERVING", "VERSION", "STARTED"]]
        + records.map {
          [
            $0.role, $0.instance, "\($0.address):\($0.port)", "\($0.adminPort)", $0.serving ? "yes" : "no", $0.version,
            $0.startedAt.ISO8601Format(),
          ]
        }
      let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
      for row in rows {
        print(
          zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces))
      }
      print("\(records.count) instance(s) registered in etcd at \(etcd)")
    }
  }

  struct Targets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write every registered instance's metrics listener as a Prometheus file_sd target list.")

    @Option(help: "The file to write (replaced whole).") var file: String
    @Flag(help: "Keep the file equal to the registry until SIGTERM, rewriting it on every change.") var follow = false

    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --discovery-etcd 127.0.0.1:2379.")
    var options: [String] = []

    func run() async throws {
      let etcd = Discovery.etcd(options)
      guard follow else {
        let targets = ScrapeTargets(try await RegisteredInstances.list(etcd: etcd))
        try ScrapeTargetFile.write(targets, to: file)
        print("\(targets.groups.count) target(s) written to \(file)")
        return
      }
      let config = ShopConfig.reader(arguments: options)
      let observability = try Observability.bootstrap(.init(serviceName: "scrape-targets", config: config))
      let logger = Logger(label: "shop.discovery")
      try await Serve.run(
        [ScrapeTargetFile(path: file, etcd: etcd, logger: logger)], observability: observability,
        name: "scrape-targets", logger: logger)
    }
  }
}
