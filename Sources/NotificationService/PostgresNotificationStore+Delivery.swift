import Foundation
import PostgresNIO

extension PostgresNotificationStore {
  /// Claims up to `limit` notifications of `channel` that are due, oldest first: each is
  /// leased for `lease`, so that another instance leaves it alone until this one has
  /// recorded how the attempt went, or has died and the lease has run out.
  public func claimDue(_ channel: NotificationChannel, limit: Int, lease: Duration) async throws -> [DueNotification] {
    let until = Date().addingTimeInterval(lease / .seconds(1))
    let rows = try await client.query(
      """
      UPDATE notifications SET next_attempt_at = \(until)
      WHERE id IN (
        SELECT id FROM notifications
        WHERE channel = \(channel.rawValue) AND status IN ('pending', 'retrying') AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
      RETURNING id, user_id, template, order_id, "values"::text, attempts, delivered_to
      """,
      logger: logger)
    var due: [DueNotification] = []
    for try await (id, user, template, order, values, attempts, deliveredTo) in rows.decode(
      (UUID, UUID, String, UUID?, String, Int, [UUID]).self)
    {
      guard let template = NotificationTemplate(rawValue: template) else { continue }
      due.append(
        DueNotification(
          id: id, userID: user, channel: channel, template: template, orderID: order,
          values: try JSONDecoder().decode([String: String].self, from: Data(values.utf8)), attempts: attempts,
          deliveredTo: Set(deliveredTo)))
    }
    return due
  }

  /// Records an attempt's decision: `sent`, `failed` or `skipped` for good, or `retrying`
  /// at the time the schedule says. `deliveredTo` adds the push subscriptions this attempt
  /// reached.
  public func finish(
    _ notification: DueNotification, _ decision: DeliveryDecision, error: String?, deliveredTo: Set<UUID> = []
  ) async throws {
    let (status, next) = (decision.label, decision.nextAttempt(after: Date()))
    let reached = Array(notification.deliveredTo.union(deliveredTo))
    try await client.query(
      """
      UPDATE notifications SET status = \(status), attempts = attempts + 1, last_error = \(error),
        next_attempt_at = \(next), delivered_to = \(reached),
        sent_at = CASE WHEN \(status) = 'sent' THEN now() ELSE sent_at END
      WHERE id = \(notification.id)
      """,
      logger: logger)
  }
}
