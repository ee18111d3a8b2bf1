import AMQPClient
import Foundation
import Logging
import PostgresNIO

/// `shop events replay`: publishes again events a service recorded in a time range, to
/// `shop.events` or straight to one queue. Consumers are idempotent, so a replay changes
/// nothing they already did and fills in what they missed.
public struct EventReplay: Sendable {
  public var since: Date
  public var until: Date?
  public var type: String?
  /// Publishes to this queue only, through the default exchange, instead of `shop.events`.
  public var toQueue: String?

  public init(since: Date, until: Date? = nil, type: String? = nil, toQueue: String? = nil) throws(MessagingError) {
    if let until, until <= since { throw MessagingError(.invalidArgument, "--until must be after --since") }
    if toQueue?.isEmpty == true { throw MessagingError(.invalidArgument, "--to-queue is empty") }
    self.since = since
    self.until = until
    self.type = type
    self.toQueue = toQueue
  }

  /// Publishes the published events of the range in recording order, with confirms; returns
  /// how many. Events still waiting in the outbox are the relay's.
  public func run(client: PostgresClient, amqp: AMQPConnection, logger: Logger) async throws -> Int {
    let channel = try await amqp.openChannel()
    try await channel.confirmSelect()
    if let toQueue { _ = try await channel.queueDeclarePassive(toQueue) }
    let until = self.until ?? .distantFuture
    let rows = try await client.query(
      """
      SELECT \(unescaped: OutboxRow.columns) FROM outbox
      WHERE published_at IS NOT NULL AND occurred_at >= \(since) AND occurred_at < \(until)
        AND (\(type)::text IS NULL OR type = \(type))
      ORDER BY seq
      """,
      logger: logger)
    var batch: [AMQPOutgoingMessage] = []
    var count = 0
    for try await columns in rows.decode(OutboxRow.Columns.self) {
      batch.append(OutboxRow(columns).message(toQueue: toQueue))
      if batch.count == 500 {
        count += try await publish(batch, on: channel)
        batch.removeAll()
      }
    }
    count += try await publish(batch, on: channel)
    try await channel.close()
    return count
  }

  private func publish(_ batch: [AMQPOutgoingMessage], on channel: AMQPChannel) async throws -> Int {
    for confirmation in try await channel.startPublish(batch) { try await confirmation.confirmed() }
    return batch.count
  }
}
