import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopPersistence

/// The notification service's rows on its own PostgreSQL database. Recording happens in the
/// transaction of the event being handled, so that the rows and the inbox's record of the
/// event commit together.
public struct PostgresNotificationStore: Sendable {
  let client: PostgresClient
  let logger: Logger

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  /// Where a recorded notification starts: due now, or told too late and never sent.
  public enum Start: String, Sendable {
    case pending
    case skipped
  }

  /// Records the notifications an event asked for; an event recorded before (a redelivery)
  /// adds nothing. Returns how many rows are new.
  @discardableResult
  public func record(
    _ notifications: [PlannedNotification], as start: Start, event: (id: UUID, type: String),
    in connection: PostgresConnection
  ) async throws -> Int {
    var recorded = 0
    for notification in notifications {
      guard let userID = UUID(uuidString: notification.userID) else { continue }
      let orderID = notification.orderID.flatMap(UUID.init(uuidString:))
      let values = String(decoding: try JSONEncoder().encode(notification.values), as: UTF8.self)
      let due: Date? = start == .pending ? Date() : nil
      let rows = try await connection.query(
        """
        INSERT INTO notifications (id, user_id, channel, template, order_id, event_id, event_type, "values", status,
          next_attempt_at)
        VALUES (\(UUID()), \(userID), \(notification.channel.rawValue), \(notification.template.rawValue), \(orderID),
          \(event.id), \(event.type), \(values)::jsonb, \(start.rawValue), \(due))
        ON CONFLICT (event_id, user_id, channel, template) DO NOTHING
        RETURNING id
        """,
        logger: logger)
      for try await _ in rows { recorded += 1 }
    }
    return recorded
  }

  /// The preferences of each of `users`; a user who never chose has the defaults.
  public func preferences(
    of users: [UUID], in connection: PostgresConnection
  ) async throws -> [UUID: NotificationPreferences] {
    var found = Dictionary(uniqueKeysWithValues: users.map { ($0, NotificationPreferences()) })
    guard !users.isEmpty else { return found }
    let rows = try await connection.query(
      "SELECT user_id, preferences::text FROM notification_preferences WHERE user_id = ANY(\(users))", logger: logger)
    for try await (user, json) in rows.decode((UUID, String).self) {
      found[user] = try JSONDecoder().decode(NotificationPreferences.self, from: Data(json.utf8))
    }
    return found
  }

  public func preferences(of user: UUID) async throws -> NotificationPreferences {
    try await client.withConnection { try await preferences(of: [user], in: $0)[user] ?? NotificationPreferences() }
  }

  /// Replaces a user's preferences; the last write wins.
  public func setPreferences(_ preferences: NotificationPreferences, of user: UUID) async throws {
    let json = String(decoding: try JSONEncoder().encode(preferences), as: UTF8.self)
    try await client.query(
      """
      INSERT INTO notification_preferences (user_id, preferences) VALUES (\(user), \(json)::jsonb)
      ON CONFLICT (user_id) DO UPDATE SET preferences = EXCLUDED.preferences, updated_at = now()
      """,
      logger: logger)
  }

  /// The owner's notifications, newest first, `limit` of them after `after`.
  public func list(owner: UUID, after: PageCursor? = nil, limit: Int) async throws
    -> (records: [NotificationRecord], next: PageCursor?)
  {
    let start = after ?? .beforeAll
    let rows = try await client.query(
      """
      SELECT id, channel, template, status, read_at IS NOT NULL, created_at FROM notifications
      WHERE user_id = \(owner) AND (created_at, id) < (\(start.createdAt), \(start.id))
      ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
      """,
      logger: logger)
    var records: [NotificationRecord] = []
    for try await (id, channel, template, status, read, createdAt) in rows.decode(
      (UUID, String, String, String, Bool, Date).self)
    {
      guard let channel = NotificationChannel(rawValue: channel),
        let template = NotificationTemplate(rawValue: template)
      else { continue }
      records.append(
        NotificationRecord(
          id: id, channel: channel, template: template, storedStatus: status, read: read, createdAt: createdAt))
    }
    let page = PageCursor.page(records, limit: limit) { PageCursor(createdAt: $0.createdAt, id: $0.id) }
    return (page.rows, page.next)
  }

  /// Marks the owner's notifications read: those of `ids` (others' ids change nothing), or all
  /// when `ids` is `nil`. Returns how many were unread before.
  @discardableResult
  public func markRead(owner: UUID, ids: [UUID]?) async throws -> Int {
    let rows: PostgresRowSequence
    if let ids {
      rows = try await client.query(
        """
        UPDATE notifications SET read_at = now()
        WHERE user_id = \(owner) AND read_at IS NULL AND id = ANY(\(ids)) RETURNING id
        """,
        logger: logger)
    } else {
      rows = try await client.query(
        "UPDATE notifications SET read_at = now() WHERE user_id = \(owner) AND read_at IS NULL RETURNING id",
        logger: logger)
    }
    var count = 0
    for try await _ in rows { count += 1 }
    return count
  }

  public func unreadCount(owner: UUID) async throws -> Int {
    let rows = try await client.query(
      "SELECT count(*) FROM notifications WHERE user_id = \(owner) AND read_at IS NULL", logger: logger)
    for try await count in rows.decode(Int.self) { return count }
    return 0
  }
}
