import Foundation
import Logging
import PostgresNIO

/// What waits in an outbox: how many events, and how long the oldest has waited.
public struct OutboxBacklog: Sendable, Equatable {
  public let count: Int
  /// Seconds; `nil` when nothing waits.
  public let oldestAge: Double?

  static func read(_ client: PostgresClient, logger: Logger) async throws -> OutboxBacklog {
    let rows = try await client.query(
      """
      SELECT count(*), extract(epoch FROM now() - min(occurred_at))::float8
      FROM outbox WHERE published_at IS NULL
      """,
      logger: logger)
    for try await (count, age) in rows.decode((Int, Double?).self) {
      return OutboxBacklog(count: count, oldestAge: age)
    }
    return OutboxBacklog(count: 0, oldestAge: nil)
  }
}
