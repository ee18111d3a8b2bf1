import Logging
import PostgresNIO
import ServiceLifecycle
import ShopResilience

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
    // Shutdown ends the wait for PostgreSQL, not only the service once it runs.
    try await cancelWhenGracefulShutdown {
      try await untilSuccess(
        backoff: Backoff(initial: .milliseconds(200), maximum: .seconds(5)),
        isRetryable: { ($0 as? PersistenceError)?.code != .migrationFailed },
        onFailure: { error, delay in
          logger.warning(
            "database not ready; retrying", metadata: ["error.message": "\(error)", "retry.delay": "\(delay)"])
        }
      ) {
        try await DatabaseBootstrap.ensureDatabaseExists(database, logger: logger)
        try await migrator.migrate(client: client, logger: logger)
      }
    }
    try await inner.run()
  }
}
