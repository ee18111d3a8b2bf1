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

  /// What a replay sent.
  public struct Outcome: Sendable, Equatable {
    /// Events the broker confirmed.
    public var published = 0
    /// Of those, events no queue is bound for, which the broker returned.
    public var unroutable = 0

    public init(published: Int = 0, unroutable: Int = 0) {
      self.published = published
      self.unroutable = unroutable
    }
  }

  /// Publishes the published events of the range in recording order, with confirms. Events
  /// still waiting in the outbox are the relay's.
  public func run(client: PostgresClient, amqp: AMQPConnection, logger: Logger) async throws -> Outcome {
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
    var outcome = Outcome()
    for try await columns in rows.decode(OutboxRow.Columns.self) {
      batch.append(OutboxRow(columns).message(toQueue: toQueue))
      if batch.count == 500 {
        try await publish(batch, on: channel, into: &outcome)
        batch.removeAll()
      }
    }
    try await publish(batch, on: channel, into: &outcome)
    try await channel.close()
    return outcome
  }

  private func publish(_ batch: [AMQPOutgoingMessage], on channel: AMQPChannel, into outcome: inout Outcome)
    async throws
  {
    for confirmation in try await channel.startPublish(batch) {
      do {
        try await confirmation.confirmed()
      } catch let error as AMQPError where error.code == .messageReturned {
        outcome.unroutable += 1
      }
      outcome.published += 1
    }
  }
}
