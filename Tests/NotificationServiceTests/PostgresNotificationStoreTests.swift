import Foundation
import Logging
import PostgresNIO
import ShopTestSupport
import Testing

@testable import NotificationService

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct PostgresNotificationStoreTests {
  static let logger = Logger(label: "test.notifications")

  static func planned(_ user: UUID, order: UUID) -> [PlannedNotification] {
    [NotificationChannel.email, .push].map {
      PlannedNotification(
        userID: user.uuidString.lowercased(), channel: $0, template: .orderShipped,
        orderID: order.uuidString.lowercased(),
        values: ["order_id": order.uuidString.lowercased(), "carrier": "DHL"])
    }
  }

  static func rows(_ client: PostgresClient) async throws -> [(String, String, String)] {
    var found: [(String, String, String)] = []
    let rows = try await client.query(
      #"SELECT channel, status, "values"->>'carrier' FROM notifications ORDER BY channel"#, logger: logger)
    for try await row in rows.decode((String, String, String).self) { found.append(row) }
    return found
  }

  @Test func anEventsNotificationsAreRecordedOnceHoweverOftenItIsHandled() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let (user, order, event) = (UUID(), UUID(), UUID())
      let first = try await client.withTransaction(logger: Self.logger) { connection in
        try await store.record(
          Self.planned(user, order: order), as: .pending, event: (event, "order.status_changed"), in: connection)
      }
      // Two deliveries of the same event at once record nothing more.
      let again = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<2 {
          group.addTask {
            try await client.withTransaction(logger: Self.logger) { connection in
              try await store.record(
                Self.planned(user, order: order), as: .pending, event: (event, "order.status_changed"), in: connection)
            }
          }
        }
        return try await group.reduce(0, +)
      }
      #expect(first == 2 && again == 0)
      let rows = try await Self.rows(client)
      #expect(rows.map(\.0) == ["email", "push"] && rows.allSatisfy { $0.1 == "pending" && $0.2 == "DHL" })
    }
  }

  @Test func aLateStatusIsRecordedSkipped() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      try await client.withTransaction(logger: Self.logger) { connection in
        try await store.record(
          Self.planned(UUID(), order: UUID()), as: .skipped, event: (UUID(), "order.status_changed"), in: connection)
      }
      #expect(try await Self.rows(client).map(\.1) == ["skipped", "skipped"])
    }
  }

  @Test func preferencesAreTheDefaultsUntilChosenAndTheLastChoiceWins() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let (chooser, other) = (UUID(), UUID())
      #expect(try await store.preferences(of: chooser) == NotificationPreferences())
      try await store.setPreferences(
        NotificationPreferences(orderUpdates: .init(email: false, push: true)), of: chooser)
      let chosen = NotificationPreferences(backInStock: .init(email: true, push: false))
      try await store.setPreferences(chosen, of: chooser)
      let both = try await client.withConnection { try await store.preferences(of: [chooser, other], in: $0) }
      #expect(both == [chooser: chosen, other: NotificationPreferences()])
    }
  }
}

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct NotificationListingTests {
  static let logger = Logger(label: "test.notifications.listing")

  /// Records one email per event for `user`, `count` events one after the other.
  static func record(_ count: Int, for user: UUID, _ store: PostgresNotificationStore, _ client: PostgresClient)
    async throws
  {
    for _ in 0..<count {
      try await client.withTransaction(logger: logger) { connection in
        let planned = PlannedNotification(
          userID: user.uuidString.lowercased(), channel: .email, template: .welcome, orderID: nil, values: [:])
        try await store.record([planned], as: .pending, event: (UUID(), "user.registered"), in: connection)
      }
    }
  }

  @Test func theOwnerPagesThroughItsOwnNewestFirst() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let (owner, other) = (UUID(), UUID())
      try await Self.record(5, for: owner, store, client)
      try await Self.record(2, for: other, store, client)
      let first = try await store.list(owner: owner, limit: 3)
      let second = try await store.list(owner: owner, after: try #require(first.next), limit: 3)
      let all = first.records + second.records
      #expect(first.records.count == 3 && second.records.count == 2 && second.next == nil)
      #expect(Set(all.map(\.id)).count == 5)
      #expect(zip(all, all.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
      #expect(all.allSatisfy { $0.status == "retrying" && !$0.read && $0.template == .welcome })
    }
  }

  @Test func readStateIsTheOwnersAloneAndMarkingAtOnceTwiceCountsEachOnce() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let (owner, other) = (UUID(), UUID())
      try await Self.record(4, for: owner, store, client)
      try await Self.record(1, for: other, store, client)
      let theirs = try await store.list(owner: other, limit: 10).records.map(\.id)
      let mine = try await store.list(owner: owner, limit: 10).records.map(\.id)
      // Another user's id changes nothing.
      #expect(try await store.markRead(owner: owner, ids: [mine[0]] + theirs) == 1)
      let (ownerUnread, otherUnread) = (
        try await store.unreadCount(owner: owner), try await store.unreadCount(owner: other)
      )
      #expect(ownerUnread == 3 && otherUnread == 1)
      let marked = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<2 { group.addTask { try await store.markRead(owner: owner, ids: nil) } }
        return try await group.reduce(0, +)
      }
      let unread = try await store.unreadCount(owner: owner)
      #expect(marked == 3 && unread == 0)
      #expect(try await store.list(owner: owner, limit: 10).records.allSatisfy(\.read))
    }
  }
}
