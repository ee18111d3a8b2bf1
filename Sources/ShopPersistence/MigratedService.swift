import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs `then` once the service's database exists and is migrated, so that no request is
/// served against an old schema. While PostgreSQL is unreachable it keeps trying, with
/// backoff, until shutdown.
public struct MigratedService<Inner: Service>: Service {
  let database: DatabaseConfiguration
  let client: PostgresClient
  let migrator: Migrator
  let logger: Logger
  let inner: Inner

  public init(
    database: DatabaseConfiguration, client: PostgresClient, migrator: Migrator, logger: Logger, then inner: Inner
  ) {
    self.database = database
    self.client = client
    self.migrator = migrator
    self.logger = logger
    self.inner = inner
  }

  public func run() async throws {
    var delay = Duration.milliseconds(200)
    while true {
      do {
        try await DatabaseBootstrap.ensureDatabaseExists(database, logger: logger)
        try await migrator.migrate(client: client, logger: logger)
        break
      } catch let error as PersistenceError where error.code == .migrationFailed {
        throw error
      } catch {
        logger.warning(
          "database not ready; retrying",
          metadata: ["error.message": "\(error)", "retry.delay": "\(delay)"])
        try await gracefulShutdownAwareSleep(delay)
        delay = min(delay * 2, .seconds(5))
      }
    }
    try await inner.run()
  }

  private func gracefulShutdownAwareSleep(_ delay: Duration) async throws {
    try await cancelWhenGracefulShutdown {
      try await Task.sleep(for: delay)
    }
  }
}
