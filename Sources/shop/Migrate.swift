import ArgumentParser
import Logging
import PostgresNIO
import ShopConfiguration
import ShopPersistence

/// `shop migrate [service]`: applies pending migrations of one service's database, or of all.
struct Migrate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Apply database migrations.")

  @Argument(help: "The service whose database to migrate (default: all): user, product.")
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
      let name = database.service
      let configuration = DatabaseConfiguration(config: config, defaultName: database.defaultName)
      try await DatabaseBootstrap.ensureDatabaseExists(configuration, logger: logger)
      let migrator = Migrator(service: name, migrations: try database.migrations())
      let applied = try await withPostgres(configuration, logger: logger) { client in
        try await migrator.migrate(client: client, logger: logger)
      }
      print(
        "\(name): \(applied.isEmpty ? "up to date" : "applied \(applied.map(String.init).joined(separator: ", "))")")
    }
  }
}

/// Runs `body` with a connected client, for commands that do one job and exit.
func withPostgres<T: Sendable>(
  _ configuration: DatabaseConfiguration, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
  let client = PostgresClient(configuration: configuration.clientConfiguration(), backgroundLogger: logger)
  return try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await client.run() }
    defer { group.cancelAll() }
    return try await body(client)
  }
}
