import Logging
import PostgresNIO

extension PostgresClient {
  /// `withTransaction` that rethrows the body's own error (a domain error, or the server's
  /// `PSQLError`) rather than wrapping it, so that callers match on the errors they know.
  /// Failures of `BEGIN`, `COMMIT` or `ROLLBACK` themselves stay wrapped.
  public func transaction<Result: Sendable>(
    logger: Logger,
    _ body: (PostgresConnection) async throws -> sending Result
  ) async throws -> Result {
    do {
      return try await withTransaction(logger: logger, body)
    } catch let error as PostgresTransactionError {
      if let cause = error.closureError, error.rollbackError == nil { throw cause }
      throw error
    }
  }
}
