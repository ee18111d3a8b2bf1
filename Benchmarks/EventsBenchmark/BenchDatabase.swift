import Foundation
import Logging
import PostgresNIO
import ShopMessaging
import ShopPersistence

/// The benchmark's own database: created fresh with the event schema, dropped afterwards.
enum BenchDatabase {
  static func with(
    _ configuration: DatabaseConfiguration, logger: Logger, _ body: @Sendable (PostgresClient) async throws -> Void
  ) async throws {
    try await DatabaseBootstrap.dropDatabase(configuration, logger: logger)
    try await DatabaseBootstrap.ensureDatabaseExists(configuration, logger: logger)
    let client = PostgresClient(configuration: configuration.clientConfiguration(), backgroundLogger: logger)
    let result: Result<Void, any Error> = await withTaskGroup(of: Void.self) { group in
      group.addTask { await client.run() }
      defer { group.cancelAll() }
      do {
        try await Migrator(service: "events-bench", migrations: [try EventSchema.migration(version: 1)])
          .migrate(client: client, logger: logger)
        try await body(client)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try await DatabaseBootstrap.dropDatabase(configuration, logger: logger)
    try result.get()
  }
}
