import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopPersistence
import ShopTestSupport
import Testing

@testable import NotificationService
@testable import ShopMessaging

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct NotificationRecorderTests {
  static let logger = Logger(label: "test.notifications.recorder")

  static func migrations() throws -> [Migration] {
    try NotificationServiceDeclaration.migrations()
  }

  static func envelope(
    _ event: some EventContract, aggregate: UUID = UUID(), version: Int64 = 1, id: UUID = UUID()
  ) throws -> EventEnvelope {
    let data = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(event))
    let body: [String: Any] = [
      "id": id.uuidString, "type": type(of: event).type, "source": "test", "occurred_at": "2026-12-03T10:00:00Z",
      "aggregate_id": aggregate.uuidString, "aggregate_version": version, "correlation_id": "test",
      "schema_version": type(of: event).schemaVersion, "data": data,
    ]
    return try EventEnvelope(body: try JSONSerialization.data(withJSONObject: body))
  }

  static func handle(_ envelope: EventEnvelope, _ client: PostgresClient) async throws {
    let recorder = NotificationRecorder(store: PostgresNotificationStore(client: client, logger: logger))
    try await client.withTransaction(logger: logger) { connection in
      try await recorder.handle(
        envelope, EventContext(transaction: connection, consumer: "test", retries: 0, logger: logger))
    }
  }

  static func rows(_ client: PostgresClient) async throws -> [String] {
    var found: [String] = []
    let rows = try await client.query(
      "SELECT template || ' ' || channel || ' ' || status FROM notifications ORDER BY created_at, channel",
      logger: logger)
    for try await row in rows.decode(String.self) { found.append(row) }
    return found
  }

  static func status(_ order: UUID, _ user: UUID, _ to: String) -> OrderStatusChanged {
    OrderStatusChanged(
      orderID: order.uuidString.lowercased(), userID: user.uuidString.lowercased(), from: nil, to: to, at: "t")
  }

  @Test func aStatusOlderThanOneRecordedIsSkippedSoShippedNeverFollowsDelivered() async throws {
    try await TestDatabase.with(migrations: try Self.migrations()) { client, _ in
      let (order, user) = (UUID(), UUID())
      try await Self.handle(
        try Self.envelope(Self.status(order, user, "delivered"), aggregate: order, version: 4), client)
      try await Self.handle(
        try Self.envelope(Self.status(order, user, "shipped"), aggregate: order, version: 3), client)
      #expect(
        try await Self.rows(client) == [
          "order_delivered email pending", "order_delivered push pending", "order_shipped email skipped",
          "order_shipped push skipped",
        ])
    }
  }

  @Test func preferencesAreHonouredAndOtherEventsChangeNothing() async throws {
    try await TestDatabase.with(migrations: try Self.migrations()) { client, _ in
      let (order, user) = (UUID(), UUID())
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      try await store.setPreferences(NotificationPreferences(orderUpdates: .init(email: true, push: false)), of: user)
      try await Self.handle(try Self.envelope(Self.status(order, user, "paid"), aggregate: order, version: 2), client)
      try await Self.handle(
        try Self.envelope(
          InventoryLowStock(productID: UUID().uuidString, sku: "S", name: "K", available: 1, threshold: 5)), client)
      #expect(try await Self.rows(client) == ["order_confirmed email pending"])
    }
  }

  @Test func theSameEventHandledTwiceRecordsItsNotificationsOnce() async throws {
    try await TestDatabase.with(migrations: try Self.migrations()) { client, _ in
      let user = UUID()
      let registered = try Self.envelope(
        UserRegistered(
          userID: user.uuidString.lowercased(), email: "ada@example.com", name: "Ada", role: "customer",
          registeredAt: "t"),
        aggregate: user)
      try await Self.handle(registered, client)
      try await Self.handle(registered, client)
      #expect(try await Self.rows(client) == ["welcome email pending"])
    }
  }
}
