import Logging
import PostgresNIO

/// Applies a service's migrations that its database has not seen yet.
///
/// Runs under a PostgreSQL advisory lock so that several instances starting together apply
/// each migration once; each migration and its `schema_migrations` row commit together.
public struct Migrator: Sendable {
  public let service: String
  public let migrations: [Migration]

  public init(service: String, migrations: [Migration]) {
    self.service = service
    self.migrations = migrations
  }

  /// Returns the versions it applied.
  @discardableResult
  public func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
    try await client.withConnection { connection in
      let lockKey = Self.lockKey(for: service)
      try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
      do {
        let applied = try await apply(on: connection, logger: logger)
        try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        return applied
      } catch {
        _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        throw error
      }
    }
  }

  private func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
    try await connection.query(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
      """,
      logger: logger
    )
    var done: Set<Int> = []
    for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
      .decode(Int.self)
    {
      done.insert(version)
    }
    var applied: [Int] = []
    for migration in migrations where !done.contains(migration.version) {
      do {
        try await connection.withTransaction(logger: logger) { tx in
          for statement in SQLScript.statements(in: migration.sql) {
            try await tx.query(PostgresQuery(unsafeSQL: statement), logger: logger)
          }
          try await tx.query(
            "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
            logger: logger
          )
        }
      } catch {
        throw PersistenceError(
          code: .migrationFailed,
          message: "\(service) migration \(migration.version)_\(migration.name) failed",
          underlying: error
        )
      }
      logger.info(
        "applied migration",
        metadata: ["db.migration.version": "\(migration.version)", "db.migration.name": "\(migration.name)"]
      )
      applied.append(migration.version)
    }
    return applied
  }

  /// A stable 63-bit key per service for `pg_advisory_lock` (FNV-1a of the name).
  static func lockKey(for service: String) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in "shop.migrate.\(service)".utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return Int64(bitPattern: hash & 0x7fff_ffff_ffff_ffff)
  }
}
