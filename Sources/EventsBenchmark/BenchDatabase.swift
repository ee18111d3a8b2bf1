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
    try await drop(configuration, logger: logger)
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
    try await drop(configuration, logger: logger)
    try result.get()
  }

  static func drop(_ configuration: DatabaseConfiguration, logger: Logger) async throws {
    let connection = try await PostgresConnection.connect(
      configuration: .init(
        host: configuration.host, port: configuration.port, username: configuration.username,
        password: configuration.password, database: "postgres", tls: .disable),
      id: 1, logger: logger)
    try await connection.query(
      PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(configuration.database) WITH (FORCE)"), logger: logger)
    try await connection.close()
  }
}
