import Logging
import PostgresNIO

/// Creates a service's database on first start, so that a fresh server needs no manual step.
public enum DatabaseBootstrap {
  public static func ensureDatabaseExists(_ configuration: DatabaseConfiguration, logger: Logger) async throws {
    try await withMaintenanceConnection(configuration, logger: logger) { connection in
      try await create(configuration.database, on: connection, logger: logger)
    }
  }

  /// Drops the database, closing its sessions: for the throw-away databases of tests and
  /// benchmarks.
  public static func dropDatabase(_ configuration: DatabaseConfiguration, logger: Logger) async throws {
    try await withMaintenanceConnection(configuration, logger: logger) { connection in
      try await connection.query(
        PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(try validName(configuration.database)) WITH (FORCE)"),
        logger: logger)
    }
  }

  /// Runs `body` on a connection to the server's `postgres` database.
  private static func withMaintenanceConnection(
    _ configuration: DatabaseConfiguration, logger: Logger, _ body: (PostgresConnection) async throws -> Void
  ) async throws {
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
      try await body(connection)
      try await connection.close()
    } catch {
      try? await connection.close()
      throw error
    }
  }

  /// A database name that is safe to put into SQL unquoted.
  private static func validName(_ name: String) throws -> String {
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      throw PersistenceError(code: .databaseUnavailable, message: "invalid database name \(name)")
    }
    return name
  }

  private static func create(_ name: String, on connection: PostgresConnection, logger: Logger) async throws {
    let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
    var exists = false
    for try await _ in rows { exists = true }
    guard !exists else { return }
    do {
      try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(try validName(name))"), logger: logger)
      logger.info("created database", metadata: ["db.name": "\(name)"])
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
      // Another instance created it between the check and the create.
    }
  }
}
