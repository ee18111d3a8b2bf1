import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopPersistence

/// Push subscriptions on the notification service's database, one per user and endpoint.
public struct PostgresPushSubscriptionStore: Sendable {
  let client: PostgresClient
  let logger: Logger

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  /// Adds a subscription; the same endpoint again (a browser renewing its keys) keeps its id
  /// and takes the new keys.
  public func subscribe(user: UUID, endpoint: URL, p256dh: Data, auth: Data) async throws -> PushSubscription {
    let rows = try await client.query(
      """
      INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth)
      VALUES (\(UUID()), \(user), \(endpoint.absoluteString), \(p256dh.base64URLEncodedString()),
        \(auth.base64URLEncodedString()))
      ON CONFLICT (user_id, endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
      RETURNING id, created_at
      """,
      logger: logger)
    var stored: (UUID, Date)?
    for try await row in rows.decode((UUID, Date).self) { stored = row }
    guard let (id, createdAt) = stored else {
      throw PersistenceError(code: .databaseUnavailable, message: "the push subscription was not stored")
    }
    return PushSubscription(id: id, userID: user, endpoint: endpoint, p256dh: p256dh, auth: auth, createdAt: createdAt)
  }

  /// Removes the owner's subscription; whether there was one (another user's is not).
  public func unsubscribe(user: UUID, id: UUID) async throws -> Bool {
    let rows = try await client.query(
      "DELETE FROM push_subscriptions WHERE id = \(id) AND user_id = \(user) RETURNING id", logger: logger)
    for try await _ in rows { return true }
    return false
  }

  /// Removes a subscription the push service says is gone.
  public func remove(_ id: UUID) async throws {
    try await client.query("DELETE FROM push_subscriptions WHERE id = \(id)", logger: logger)
  }

  public func subscriptions(of user: UUID) async throws -> [PushSubscription] {
    let rows = try await client.query(
      """
      SELECT id, user_id, endpoint, p256dh, auth, created_at FROM push_subscriptions
      WHERE user_id = \(user) ORDER BY created_at
      """,
      logger: logger)
    var found: [PushSubscription] = []
    for try await row in rows.decode((UUID, UUID, String, String, String, Date).self) {
      if let subscription = Self.subscription(row) { found.append(subscription) }
    }
    return found
  }

  private static func subscription(_ row: (UUID, UUID, String, String, String, Date)) -> PushSubscription? {
    guard let endpoint = URL(string: row.2), let key = Data(base64URLEncoded: row.3),
      let auth = Data(base64URLEncoded: row.4)
    else { return nil }
    return PushSubscription(id: row.0, userID: row.1, endpoint: endpoint, p256dh: key, auth: auth, createdAt: row.5)
  }
}
