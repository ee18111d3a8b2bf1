import ArgumentParser
import Logging
import PostgresNIO
import ShopConfiguration
import ShopPersistence

/// `shop migrate [service]`: applies pending migrations of one service's database, or of all.
struct Migrate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Apply database migrations.")

  @Argument(help: "The service whose database to migrate (default: all): \(ServiceDatabase.names).")
  var service: String?

  @Argument(parsing: .captureForPassthrough, help: "Configuration options, such as --database-host.")
  var options: [String] = []

  func run() async throws {
    let config = ShopConfig.reader(arguments: options)
    let logger = Logger(label: "shop.migrate")
    let selected = ServiceDatabase.all.filter { service == nil || $0.service == service }
    guard !selected.isEmpty else {
      throw ValidationError("unknown service \(service ?? ""); known: \(ServiceDatabase.names)")
    }
    for database in selected {
      let applied = try await database.withMigrated(config, logger: logger) { _, applied in applied }
      print(
        "\(database.service): \(applied.isEmpty ? "up to date" : "applied \(applied.map(String.init).joined(separator: ", "))")"
      )
    }
  }
}

/// Runs `body` with a running client, for commands that do one job and exit.
func withPostgres<T: Sendable>(
  _ configuration: DatabaseConfiguration, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
  try await PostgresClient.withRunning(configuration.clientConfiguration(), logger: logger, body)
}
