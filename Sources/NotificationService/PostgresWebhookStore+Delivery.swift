import Foundation
import PostgresNIO

extension PostgresWebhookStore {
  /// A delivery claimed for an attempt, with what sending it needs.
  public struct DueDelivery: Sendable {
    public var id: UUID
    public var endpointID: UUID
    public var url: URL
    public var secret: String
    public var body: String
    /// Attempts before this one.
    public var attempts: Int
    /// The endpoint's failed attempts in a row before this one.
    public var failuresInARow: Int

    public var webhookID: String { WebhookDelivery.webhookID(of: id) }
  }

  /// The enabled endpoints that name `eventType`, read in the event's transaction.
  func endpoints(receiving eventType: String, in connection: PostgresConnection) async throws -> [WebhookEndpoint] {
    let rows = try await connection.query(
      """
      SELECT id, user_id, receives_all, url, events, enabled, disabled_reason, created_at FROM webhook_endpoints
      WHERE enabled AND \(eventType) = ANY(events)
      """,
      logger: logger)
    var found: [WebhookEndpoint] = []
    for try await row in rows.decode((UUID, UUID, Bool, String, [String], Bool, String?, Date).self) {
      if let endpoint = Self.endpoint(row) { found.append(endpoint) }
    }
    return found
  }

  /// One delivery of `event` per endpoint; an event recorded before adds nothing.
  func record(_ event: WebhookEvent, for endpoints: [UUID], in connection: PostgresConnection) async throws {
    guard !endpoints.isEmpty else { return }
    try await connection.query(
      """
      INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, status, next_attempt_at)
      SELECT gen_random_uuid(), endpoint, \(event.id), \(event.type), \(event.body), 'pending', now()
      FROM unnest(\(endpoints)::uuid[]) AS endpoint
      ON CONFLICT (endpoint_id, event_id) DO NOTHING
      """,
      logger: logger)
  }

  /// Claims up to `limit` due deliveries of enabled endpoints, each leased for `lease`.
  public func claimDue(limit: Int, lease: Duration) async throws -> [DueDelivery] {
    let until = Date().addingTimeInterval(lease / .seconds(1))
    let rows = try await client.query(
      """
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE e.enabled AND d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at LIMIT \(limit) FOR UPDATE OF d SKIP LOCKED)
      UPDATE webhook_deliveries d SET next_attempt_at = \(until)
      FROM due, webhook_endpoints e
      WHERE d.id = due.id AND e.id = d.endpoint_id
      RETURNING d.id, d.endpoint_id, e.url, e.secret, d.body, d.attempts, e.failures_in_a_row
      """,
      logger: logger)
    var due: [DueDelivery] = []
    for try await (id, endpoint, url, secret, body, attempts, failures) in rows.decode(
      (UUID, UUID, String, String, String, Int, Int).self)
    {
      guard let url = URL(string: url) else { continue }
      due.append(
        DueDelivery(
          id: id, endpointID: endpoint, url: url, secret: secret, body: body, attempts: attempts,
          failuresInARow: failures))
    }
    return due
  }

  /// Records an attempt: the delivery's decision, and the endpoint's run of failures (reset
  /// by a success), disabling it with `disable` as the reason when that is the verdict.
  public func finish(
    _ delivery: DueDelivery, _ decision: DeliveryDecision, statusCode: Int?, error: String?, disable: String?
  ) async throws {
    // A delivery has always an endpoint to go to, so nothing is skipped.
    let status = decision == .skipped ? DeliveryDecision.failed.label : decision.label
    let next = decision.nextAttempt(after: Date())
    let succeeded = decision == .sent
    try await client.withTransaction(logger: logger) { connection in
      try await connection.query(
        """
        UPDATE webhook_deliveries SET status = \(status), attempts = attempts + 1, last_status_code = \(statusCode),
          last_error = \(error), next_attempt_at = \(next),
          delivered_at = CASE WHEN \(succeeded) THEN now() ELSE delivered_at END
        WHERE id = \(delivery.id)
        """,
        logger: logger)
      try await connection.query(
        """
        UPDATE webhook_endpoints SET
          failures_in_a_row = CASE WHEN \(succeeded) THEN 0 ELSE failures_in_a_row + 1 END,
          enabled = enabled AND \(disable)::text IS NULL,
          disabled_reason = COALESCE(disabled_reason, \(disable)::text)
        WHERE id = \(delivery.endpointID)
        """,
        logger: logger)
      if disable != nil {
        try await connection.query(
          """
          UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL,
            last_error = COALESCE(last_error, 'the endpoint is disabled')
          WHERE endpoint_id = \(delivery.endpointID) AND status IN ('pending', 'retrying')
          """,
          logger: logger)
      }
    }
  }
}
