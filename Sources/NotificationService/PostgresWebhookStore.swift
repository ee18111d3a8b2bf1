import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopPersistence

/// Webhook endpoints and their deliveries on the notification service's database.
public struct PostgresWebhookStore: Sendable {
  let client: PostgresClient
  let logger: Logger

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  public func create(user: UUID, receivesAll: Bool, url: URL, events: [String], secret: String) async throws
    -> WebhookEndpoint
  {
    let id = UUID()
    let rows = try await client.query(
      """
      INSERT INTO webhook_endpoints (id, user_id, receives_all, url, events, secret)
      VALUES (\(id), \(user), \(receivesAll), \(url.absoluteString), \(events), \(secret))
      RETURNING created_at
      """,
      logger: logger)
    for try await createdAt in rows.decode(Date.self) {
      return WebhookEndpoint(
        id: id, userID: user, receivesAll: receivesAll, url: url, events: events, enabled: true, disabledReason: nil,
        createdAt: createdAt)
    }
    throw PersistenceError(code: .databaseUnavailable, message: "the webhook endpoint was not stored")
  }

  /// The owner's endpoints, newest first.
  public func endpoints(owner: UUID, after: PageCursor?, limit: Int) async throws
    -> (endpoints: [WebhookEndpoint], next: PageCursor?)
  {
    let start = after ?? .beforeAll
    let rows = try await client.query(
      """
      SELECT id, user_id, receives_all, url, events, enabled, disabled_reason, created_at FROM webhook_endpoints
      WHERE user_id = \(owner) AND (created_at, id) < (\(start.createdAt), \(start.id))
      ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
      """,
      logger: logger)
    var found: [WebhookEndpoint] = []
    for try await row in rows.decode((UUID, UUID, Bool, String, [String], Bool, String?, Date).self) {
      if let endpoint = Self.endpoint(row) { found.append(endpoint) }
    }
    let page = PageCursor.page(found, limit: limit) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    return (page.rows, page.next)
  }

  /// The owner's endpoint `id`; `nil` for another user's.
  public func endpoint(owner: UUID, id: UUID) async throws -> WebhookEndpoint? {
    let rows = try await client.query(
      """
      SELECT id, user_id, receives_all, url, events, enabled, disabled_reason, created_at FROM webhook_endpoints
      WHERE id = \(id) AND user_id = \(owner)
      """,
      logger: logger)
    for try await row in rows.decode((UUID, UUID, Bool, String, [String], Bool, String?, Date).self) {
      return Self.endpoint(row)
    }
    return nil
  }

  /// Deletes the owner's endpoint and its delivery log; whether there was one.
  public func delete(owner: UUID, id: UUID) async throws -> Bool {
    let rows = try await client.query(
      "DELETE FROM webhook_endpoints WHERE id = \(id) AND user_id = \(owner) RETURNING id", logger: logger)
    for try await _ in rows { return true }
    return false
  }

  /// An endpoint's deliveries, newest first.
  public func deliveries(endpoint: UUID, after: PageCursor?, limit: Int) async throws
    -> (deliveries: [WebhookDelivery], next: PageCursor?)
  {
    let start = after ?? .beforeAll
    let rows = try await client.query(
      """
      SELECT id, endpoint_id, event_id, event_type, status, attempts, last_status_code, last_error, created_at,
        delivered_at
      FROM webhook_deliveries
      WHERE endpoint_id = \(endpoint) AND (created_at, id) < (\(start.createdAt), \(start.id))
      ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
      """,
      logger: logger)
    var found: [WebhookDelivery] = []
    for try await row in rows.decode((UUID, UUID, UUID, String, String, Int, Int?, String?, Date, Date?).self) {
      found.append(
        WebhookDelivery(
          id: row.0, endpointID: row.1, eventID: row.2, eventType: row.3, storedStatus: row.4, attempts: row.5,
          lastStatusCode: row.6, lastError: row.7, createdAt: row.8, deliveredAt: row.9))
    }
    let page = PageCursor.page(found, limit: limit) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    return (page.rows, page.next)
  }

  static func endpoint(_ row: (UUID, UUID, Bool, String, [String], Bool, String?, Date)) -> WebhookEndpoint? {
    guard let url = URL(string: row.3) else { return nil }
    return WebhookEndpoint(
      id: row.0, userID: row.1, receivesAll: row.2, url: url, events: row.4, enabled: row.5, disabledReason: row.6,
      createdAt: row.7)
  }
}
