import Foundation
import Logging
import PostgresNIO
import ShopPersistence

/// A database of its own for one test, created empty and dropped afterwards, so that tests
/// run in parallel and leave nothing behind.
public enum TestDatabase {
  public static func configuration(name: String) -> DatabaseConfiguration {
    DatabaseConfiguration(
      host: Infra.postgresHost, port: Infra.postgresPort, database: name, maxConnections: 10)
  }

  /// Runs `body` with a client on a fresh database, migrated with `migrations`.
  public static func with<T: Sendable>(
    migrations: [Migration] = [],
    clientConfiguration: (DatabaseConfiguration) -> PostgresClient.Configuration = { $0.clientConfiguration() },
    _ body: @Sendable (PostgresClient, DatabaseConfiguration) async throws -> T
  ) async throws -> T {
    let logger = Logger(label: "test.db")
    let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    let configuration = configuration(name: name)
    try await DatabaseBootstrap.ensureDatabaseExists(configuration, logger: logger)
    let result: Result<T, any Error>
    do {
      result = .success(
        try await PostgresClient.withRunning(clientConfiguration(configuration), logger: logger) { client in
          try await Migrator(service: "test", migrations: migrations).migrate(client: client, logger: logger)
          return try await body(client, configuration)
        })
    } catch {
      result = .failure(error)
    }
    try? await DatabaseBootstrap.dropDatabase(configuration, logger: logger)
    return try result.get()
  }
}
