import Foundation
import Logging
import PostgresNIO

/// What a handler works with: the transaction that also records the event as processed, so
/// that its effect and the record commit together or not at all.
public struct EventContext: Sendable {
  public let transaction: PostgresConnection
  /// The consumer's queue name, which names it in `processed_events`.
  public let consumer: String
  /// How many times the event failed before this attempt.
  public let retries: Int
  public let logger: Logger

  /// Records that `projection` has applied `version` of the aggregate, and says whether the
  /// caller should apply it: false when the projection already holds this or a newer version,
  /// since events of one aggregate can arrive out of order.
  public func advance(projection: String, aggregateID: UUID, to version: Int64) async throws -> Bool {
    let rows = try await transaction.query(
      """
      INSERT INTO projection_versions (projection, aggregate_id, version) VALUES (\(projection), \(aggregateID), \(version))
      ON CONFLICT (projection, aggregate_id) DO UPDATE SET version = EXCLUDED.version
      WHERE projection_versions.version < EXCLUDED.version
      RETURNING version
      """,
      logger: logger)
    for try await _ in rows { return true }
    return false
  }
}
