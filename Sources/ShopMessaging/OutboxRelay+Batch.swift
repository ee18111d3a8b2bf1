import AMQPClient
import AMQPProtocol
import CoreMetrics
import Foundation
import Logging
import Metrics
import PostgresNIO
import ShopPersistence
import Synchronization

extension OutboxRelay {
  struct Round {
    var published = 0
    /// Claimed but left for later: an earlier version of the aggregate is unpublished.
    var deferred = 0
    /// Returned by the broker as unroutable: still unpublished.
    var returned = 0
  }

  /// Claims, publishes and marks one batch, in one transaction.
  func publishBatch() async throws -> Round {
    try await client.transaction(logger: logger) { transaction in
      let claimed = try await claim(transaction)
      guard !claimed.isEmpty else { return Round() }
      let ready = Self.inAggregateOrder(claimed)
      var round = Round(deferred: claimed.count - ready.count)
      guard !ready.isEmpty else { return round }
      set(.publishing)
      let confirmations = try await channel.channel(timeout: options.publishTimeout).startPublish(
        ready.map { $0.row.message() }, timeout: options.publishTimeout)
      var ids: [UUID] = []
      var held = Set<UUID>()  // aggregates with a returned event: their later ones wait too
      for (confirmation, claimed) in zip(confirmations, ready) {
        do {
          try await confirmation.confirmed()
          // Sent after its aggregate's returned event: published again with it, in order.
          if held.contains(claimed.aggregateID) { continue }
        } catch let error as AMQPError where error.code == .messageReturned {
          held.insert(claimed.aggregateID)
          // Only without the alternate exchange (its policy missing): the broker kept no
          // copy, so the row stays unpublished and goes out again next round.
          metrics.returned.increment()
          logger.warning(
            "event returned unroutable; is the shop-unrouted policy set?",
            metadata: ["event.id": "\(claimed.row.id)", "event.type": "\(claimed.row.type)"])
          continue
        }
        ids.append(claimed.row.id)
        metrics.confirmed.increment()
        metrics.publishLatency.record(duration: .seconds(Date().timeIntervalSince(claimed.row.occurredAt)))
      }
      round.returned = ready.count - ids.count
      guard !ids.isEmpty else { return round }
      try await afterConfirm?(ids)
      try await transaction.query("UPDATE outbox SET published_at = now() WHERE id = ANY(\(ids))", logger: logger)
      round.published = ids.count
      status.withLock { $0.published += Int64(ids.count) }
      return round
    }
  }

  struct Claimed {
    let row: OutboxRow
    let aggregateID: UUID
    let version: Int64
    /// An earlier version of the aggregate is unpublished and not in this batch.
    let waits: Bool
  }

  private func claim(_ transaction: PostgresConnection) async throws -> [Claimed] {
    let rows = try await transaction.query(
      """
      WITH claimed AS MATERIALIZED (
        SELECT id, seq, type, payload, traceparent, occurred_at, aggregate_id, aggregate_version FROM outbox
        WHERE published_at IS NULL ORDER BY seq LIMIT \(options.batchSize) FOR UPDATE SKIP LOCKED
      )
      SELECT \(unescaped: OutboxRow.columns), aggregate_id, aggregate_version,
        EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.aggregate_id = c.aggregate_id AND p.published_at IS NULL
            AND p.aggregate_version < c.aggregate_version AND p.id NOT IN (SELECT id FROM claimed)
        )
      FROM claimed c
      ORDER BY seq
      """,
      logger: logger)
    var claimed: [Claimed] = []
    for try await (id, type, payload, traceparent, occurredAt, aggregateID, version, waits) in rows.decode(
      (UUID, String, String, String?, Date, UUID, Int64, Bool).self)
    {
      claimed.append(
        Claimed(
          row: OutboxRow((id, type, payload, traceparent, occurredAt)), aggregateID: aggregateID, version: version,
          waits: waits))
    }
    return claimed
  }

  /// The claimed events that may go out now: an event also waits when an earlier version
  /// of its aggregate in the same batch waits. Claim order is kept, except that each
  /// aggregate's events take its places in version order.
  static func inAggregateOrder(_ claimed: [Claimed]) -> [Claimed] {
    var blocked: [UUID: Int64] = [:]  // aggregate → lowest version that waits
    for event in claimed where event.waits {
      blocked[event.aggregateID] = min(blocked[event.aggregateID] ?? .max, event.version)
    }
    let ready = claimed.filter { event in
      guard let lowest = blocked[event.aggregateID] else { return true }
      return event.version < lowest
    }
    var versions = Dictionary(grouping: ready, by: \.aggregateID).mapValues { events in
      events.sorted { $0.version > $1.version }  // popped from the end, lowest first
    }
    return ready.map { versions[$0.aggregateID]!.removeLast() }
  }

  // MARK: Housekeeping

  /// Records this relay's state and refreshes the backlog gauges.
  func heartbeat() async throws {
    let (phase, detail, published) = status.withLock { ($0.phase.rawValue, $0.detail, $0.published) }
    try await client.query(
      """
      INSERT INTO outbox_relays (instance, state, detail, published, heartbeat_at)
      VALUES (\(instance), \(phase), \(detail), \(published), now())
      ON CONFLICT (instance) DO UPDATE
      SET state = EXCLUDED.state, detail = EXCLUDED.detail, published = EXCLUDED.published, heartbeat_at = now()
      """,
      logger: logger)
    let backlog = try await OutboxBacklog.read(client, logger: logger)
    metrics.backlog.record(backlog.count)
    metrics.oldestAge.record(backlog.oldestAge ?? 0)
    // Only a gauge: a broker that cannot answer now must not hold up the rest.
    if amqp.isConnected { try? await recordUnrouted() }
  }

  /// The depth of `shop.unrouted`, read on a channel of its own so that a publishing round
  /// is not disturbed.
  private func recordUnrouted() async throws {
    let channel = try await amqp.openChannel(timeout: options.publishTimeout)
    let queue: AMQPMethod.Queue.DeclareOk
    do {
      queue = try await channel.queueDeclarePassive(EventTopology.unrouted, timeout: options.publishTimeout)
    } catch {
      try? await channel.close()
      throw error
    }
    try? await channel.close()
    metrics.unrouted.record(queue.messageCount)
  }

  /// Deletes published events past the retention, and relays gone for a day.
  func deleteExpired() async throws {
    let cutoff = Date().addingTimeInterval(-Double(options.retention.components.seconds))
    try await client.query(
      """
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox WHERE occurred_at < \(cutoff) AND published_at IS NOT NULL LIMIT 10000)
      """,
      logger: logger)
    try await client.query(
      "DELETE FROM outbox_relays WHERE heartbeat_at < now() - interval '1 day'", logger: logger)
  }
}
