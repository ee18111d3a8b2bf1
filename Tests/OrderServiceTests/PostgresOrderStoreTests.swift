import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopTestSupport
import Testing

@testable import OrderService

/// The order store's queries of its own, against a real PostgreSQL.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct PostgresOrderStoreTests {
  @Test func stuckOrdersArePendingOnesPlacedBeforeTheCutoffPageByPage() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let now = Date()
      var ids: [UUID] = []
      for (index, status) in [OrderStatus.pending, .pending, .paid, .pending].enumerated() {
        let order = OrderDocument(
          id: UUID(), userID: UUID(), items: [],
          total: Money(amount: 100, currency: "USD"), shippingAddress: SagaRunnerTests.address,
          card: .init(brand: "visa", last4: "4242"), fromCart: false,
          // The last one is recent; the others were placed minutes ago.
          createdAt: now.addingTimeInterval(index == 3 ? -10 : -600 + Double(index)))
        try await store.create(
          order, saga: CheckoutSaga(deadline: now), sealedCard: Data([1]), owner: "a", leaseUntil: now,
          idempotencyKey: "k\(index)", events: [])
        if status == .paid {
          try await client.query("UPDATE orders SET status = 'paid', saga_step = 'finished' WHERE id = \(order.id)")
        }
        ids.append(order.id)
      }
      let cutoff = now.addingTimeInterval(-120)
      #expect(try await store.stuckCount(before: cutoff) == 2)
      let first = try await store.stuckOrders(before: cutoff, after: nil, limit: 1)
      #expect(first.orders.map(\.id) == [ids[1]] && first.orders.first?.sagaStep == .reserve)
      let second = try await store.stuckOrders(before: cutoff, after: first.next, limit: 1)
      #expect(second.orders.map(\.id) == [ids[0]])
      #expect(second.next == nil)
      #expect(try await store.stuckCount(before: now) == 3)
    }
  }
}
