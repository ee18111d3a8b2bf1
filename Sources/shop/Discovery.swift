import ArgumentParser
import Foundation
import ShopConfiguration
import ShopDiscovery

/// `shop discovery list`: the instances registered in etcd.
struct Discovery: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Inspect the service registry.", subcommands: [List.self])

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print every registered instance: role, instance, address, admin port, serving, version, start.")

    @Option(help: "Only the instances of this role.") var role: String?
    @Flag(help: "One JSON record per line instead of a table.") var json = false

    @Argument(parsing: .allUnrecognized, help: "Configuration options, such as --discovery-etcd 127.0.0.1:2379.")
    var options: [String] = []

    func run() async throws {
      let config = ShopConfig.reader(arguments: options)
      let etcd = DiscoveryConfiguration(config: config)?.etcd ?? "127.0.0.1:2379"
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
}
