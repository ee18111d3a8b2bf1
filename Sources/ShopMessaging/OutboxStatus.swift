import Foundation
import Logging
import PostgresNIO

/// What `shop events status` shows of one service: its backlog and its relays.
public struct OutboxStatus: Sendable {
  public struct Relay: Sendable {
    public let instance: String
    public let state: String
    public let detail: String?
    public let published: Int64
    /// Seconds since the relay last reported; a relay silent for long is gone.
    public let silentFor: Double
  }

  public let backlog: OutboxBacklog
  public let relays: [Relay]

  public static func read(_ client: PostgresClient, logger: Logger) async throws -> OutboxStatus {
    let backlog = try await OutboxBacklog.read(client, logger: logger)
    var relays: [Relay] = []
    let rows = try await client.query(
      """
      SELECT instance, state, detail, published, extract(epoch FROM now() - heartbeat_at)::float8
      FROM outbox_relays ORDER BY heartbeat_at DESC
      """,
      logger: logger)
    for try await (instance, state, detail, published, silent) in rows.decode(
      (String, String, String?, Int64, Double).self)
    {
      relays.append(Relay(instance: instance, state: state, detail: detail, published: published, silentFor: silent))
    }
    return OutboxStatus(backlog: backlog, relays: relays)
  }
}
