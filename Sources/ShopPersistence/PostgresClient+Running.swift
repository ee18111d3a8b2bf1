import Logging
import PostgresNIO

extension PostgresClient {
  /// Runs `body` with a client of `configuration` whose `run()` has begun, and stops it
  /// afterwards: for commands, tests and benchmarks that do one job, outside a service group.
  public static func withRunning<T: Sendable>(
    _ configuration: PostgresClient.Configuration, logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
  ) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      // Leasing a connection before `run()` has begun makes the client warn. The child
      // signals just before it calls `run()`, whose first step marks the client running
      // without suspending in between.
      let (started, signal) = AsyncStream<Void>.makeStream()
      group.addTask {
        signal.finish()
        await client.run()
      }
      for await _ in started {}
      defer { group.cancelAll() }
      return try await body(client)
    }
  }
}
