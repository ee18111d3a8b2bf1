import Foundation
import Logging
import ShopTestSupport
import Testing

@testable import NotificationService

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct PostgresPushSubscriptionStoreTests {
  static let logger = Logger(label: "test.notifications.subscriptions")

  @Test func theSameEndpointSubscribedTwiceAtOnceIsOneSubscription() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresPushSubscriptionStore(client: client, logger: Self.logger)
      let (user, endpoint) = (UUID(), URL(string: "https://push.example/send/abc")!)
      let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
        for index in 0..<4 {
          group.addTask {
            try await store.subscribe(
              user: user, endpoint: endpoint, p256dh: Data(repeating: UInt8(index), count: 65),
              auth: Data(repeating: 1, count: 16)
            ).id
          }
        }
        return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
      }
      let stored = try await store.subscriptions(of: user)
      #expect(ids.count == 1 && stored.map(\.id) == Array(ids))
    }
  }

  @Test func anotherUsersSubscriptionIsNotTheirsToRemove() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresPushSubscriptionStore(client: client, logger: Self.logger)
      let owner = UUID()
      let subscription = try await store.subscribe(
        user: owner, endpoint: URL(string: "https://push.example/send/abc")!, p256dh: Data(count: 65),
        auth: Data(count: 16))
      #expect(try await store.unsubscribe(user: UUID(), id: subscription.id) == false)
      #expect(try await store.unsubscribe(user: owner, id: subscription.id))
      #expect(try await store.subscriptions(of: owner).isEmpty)
    }
  }
}
