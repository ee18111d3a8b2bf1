import Logging
import PostgresNIO

/// Creates a service's database on first start, so that a fresh server needs no manual step.
public enum DatabaseBootstrap {
  public static func ensureDatabaseExists(_ configuration: DatabaseConfiguration, logger: Logger) async throws {
    let maintenance = configuration.with(database: "postgres")
    let connection = try await PostgresConnection.connect(
      configuration: .init(
        host: maintenance.host,
        port: maintenance.port,
        username: maintenance.username,
        password: maintenance.password,
        database: maintenance.database,
        tls: .disable
      ),
      id: 0,
      logger: logger
    )
    do {
      try await create(configuration.database, on: connection, logger: logger)
      try await connection.close()
    } catch {
      try? await connection.close()
      throw error
    }
  }

  private static func create(_ name: String, on connection: PostgresConnection, logger: Logger) async throws {
    let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
    var exists = false
    for try await _ in rows { exists = true }
    guard !exists else { return }
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      throw PersistenceError(code: .databaseUnavailable, message: "invalid database name \(name)")
    }
    do {
      try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
      logger.info("created database", metadata: ["db.name": "\(name)"])
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
      // Another instance created it between the check and the create.
    }
  }
}
