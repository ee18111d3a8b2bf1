import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ShopContracts
import ShopTestSupport
import Synchronization
import Testing

@testable import OrderService

/// The saga against a real PostgreSQL, with the product service and the processor in memory.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct SagaRunnerTests {
  let inventory = FakeInventory()
  let payments = FakePayments()
  let carts = FakeCarts()
  let lamp = ProductInfo(id: UUID(), name: "Lamp", price: Money(amount: 1500, currency: "USD"), available: 5)
  static let vault = CardVault(key: Data(repeating: 3, count: 32))
  static let address = PostalAddress(line1: "1 Main St", line2: nil, city: "Berlin", postalCode: "10115", country: "DE")

  init() { inventory.add(lamp) }

  func runner(_ store: PostgresOrderStore, owner: String, lease: Duration = .seconds(20)) -> SagaRunner<
    PostgresOrderStore
  > {
    SagaRunner(
      store: store, inventory: inventory, payments: payments, carts: carts, vault: Self.vault, owner: owner,
      lease: lease, recoveryInterval: .milliseconds(100), logger: Logger(label: "test.saga"))
  }

  func checkout(_ runner: SagaRunner<PostgresOrderStore>, _ store: PostgresOrderStore) -> Checkout<PostgresOrderStore> {
    Checkout(
      store: store, inventory: inventory, addresses: FakeAddresses(), carts: carts, runner: runner, wait: .seconds(5))
  }

  static func request(_ product: UUID, quantity: Int64 = 2, card: String = "4242424242424242") throws
    -> CheckoutRequest
  {
    try CheckoutRequest(
      lines: [(product.uuidString, quantity)], addressID: nil, address: address, card: (card, 12, 2099, "123"))
  }

  /// Runs `body` with the runners running, then stops them.
  static func running<T: Sendable>(
    _ runners: [SagaRunner<PostgresOrderStore>], _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withDeadline(.seconds(60)) {
      try await withThrowingTaskGroup(of: T?.self) { group in
        let group2 = ServiceGroup(services: runners, logger: Logger(label: "test.saga"))
        group.addTask {
          try await group2.run()
          return nil
        }
        let result = try await body()
        await group2.triggerGracefulShutdown()
        for try await _ in group {}
        return result
      }
    }
  }

  static func count(_ client: PostgresClient, _ type: String, of id: UUID) async throws -> Int {
    let rows = try await client.query(
      "SELECT count(*)::int FROM outbox WHERE type = \(type) AND aggregate_id = \(id)", logger: Logger(label: "t"))
    for try await count in rows.decode(Int.self) { return count }
    return 0
  }

  @Test func anApprovedOrderIsPaidWithItsEventsAndTheCardForgotten() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let runner = runner(store, owner: "a")
      let user = UUID()
      let result = try await Self.running([runner]) {
        try await checkout(runner, store).place(try Self.request(lamp.id), for: user, key: "k1")
      }
      guard case .placed(let order) = result else { Issue.record("\(result)"); return }
      #expect(order.status == .paid && order.paymentStatus == "captured")
      #expect(order.history.map(\.status) == [.pending, .paid])
      #expect(order.document.total == Money(amount: 3000, currency: "USD"))
      #expect(inventory.state.withLock { $0.committed.contains(order.id) })
      #expect(try await Self.count(client, "order.created", of: order.id) == 1)
      #expect(try await Self.count(client, "order.status_changed", of: order.id) == 2)
      #expect(try await Self.count(client, "payment.succeeded", of: order.id) == 1)
      // The version a step's statement returns is its events' version, in the row and the envelope.
      let versions = try await client.query(
        """
        SELECT aggregate_version, (payload->>'aggregate_version')::bigint FROM outbox
        WHERE aggregate_id = \(order.id) ORDER BY seq
        """, logger: Logger(label: "t"))
      var pairs: [[Int64]] = []
      for try await (row, envelope) in versions.decode((Int64, Int64).self) { pairs.append([row, envelope]) }
      #expect(pairs == [[1, 1], [1, 1], [2, 2], [3, 3]])
      let cards = try await client.query("SELECT count(*)::int FROM saga_credentials", logger: Logger(label: "t"))
      for try await left in cards.decode(Int.self) { #expect(left == 0) }
      let documents = try await client.query("SELECT document::text FROM orders", logger: Logger(label: "t"))
      for try await text in documents.decode(String.self) { #expect(!text.contains("4242424242424242")) }
    }
  }

  @Test func aDeclinedOrderReleasesItsStockAndRecordsTheFailure() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let runner = runner(store, owner: "a")
      let result = try await Self.running([runner]) {
        try await checkout(runner, store).place(
          try Self.request(lamp.id, card: "4000000000000002"), for: UUID(), key: "k1")
      }
      guard case .paymentFailed(let order) = result else { Issue.record("\(result)"); return }
      #expect(order.status == .cancelled && order.cancelReason == .paymentFailed)
      #expect(inventory.state.withLock { $0.products[lamp.id]?.available } == 5)
      #expect(try await Self.count(client, "payment.failed", of: order.id) == 1)
    }
  }

  @Test func outOfStockListsTheShortLines() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let runner = runner(store, owner: "a")
      let result = try await Self.running([runner]) {
        try await checkout(runner, store).place(try Self.request(lamp.id, quantity: 9), for: UUID(), key: "k1")
      }
      guard case .outOfStock(let order, let lines) = result else { Issue.record("\(result)"); return }
      #expect(order.cancelReason == .outOfStock)
      #expect(lines == [ShortLine(productID: lamp.id, requested: 9, available: 5)])
      #expect(payments.state.withLock { $0.charges } == 0)
    }
  }

  @Test func aProviderThatFailsIsRetriedUntilItCharges() async throws {
    payments.state.withLock { $0.unavailableCharges = 2 }
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let runner = runner(store, owner: "a")
      let result = try await Self.running([runner]) {
        try await checkout(runner, store).place(try Self.request(lamp.id), for: UUID(), key: "k1")
      }
      guard case .placed(let order) = result else { Issue.record("\(result)"); return }
      #expect(order.status == .paid)
      #expect(payments.state.withLock { ($0.charges, $0.payments.count) } == (3, 1))
    }
  }

  @Test func aRequestTakingOverTheKeyOfOneThatDiedAnswersItsOrderInsteadOfPlacingAnother() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let runner = runner(store, owner: "a")
      let user = UUID()
      let (first, again) = try await Self.running([runner]) {
        let checkout = checkout(runner, store)
        let first = try await checkout.place(try Self.request(lamp.id), for: user, key: "k1")
        let again = try await checkout.place(try Self.request(lamp.id), for: user, key: "k1", takingOver: true)
        return (first, again)
      }
      #expect(first == again)
      #expect(try await store.orders(userID: user, status: nil, after: nil, limit: 10).orders.count == 1)
      #expect(payments.state.withLock { $0.charges } == 1)
    }
  }

  @Test func aSagaWhoseInstanceDiedIsTakenOverAfterItsLeaseAndRunOnce() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      // The first instance writes the order and dies before running its saga.
      let dead = runner(store, owner: "dead", lease: .seconds(1))
      let order = try OrderDocument(
        id: UUID(), userID: UUID(),
        items: [OrderLine(productID: lamp.id, name: "Lamp", quantity: 1, unitPrice: lamp.price)],
        total: lamp.price, shippingAddress: Self.address, card: .init(brand: "visa", last4: "4242"), fromCart: false,
        createdAt: Date())
      try await store.create(
        order, saga: CheckoutSaga(deadline: Date().addingTimeInterval(900)),
        sealedCard: try Self.vault.seal(try Self.request(lamp.id).card, for: order.id), owner: dead.owner,
        leaseUntil: Date().addingTimeInterval(1), idempotencyKey: "k", events: OrderEvents.placed(order))
      // Two live instances look for abandoned sagas at once; one runs it, once.
      let first = runner(store, owner: "b")
      let second = runner(store, owner: "c")
      #expect(try await store.saga(of: order.id, owner: "b") == nil)
      try await Self.running([first, second]) {
        try await waitUntil { try await store.order(id: order.id)?.status == .paid }
      }
      #expect(payments.state.withLock { $0.charges } == 1)
      #expect(inventory.state.withLock { $0.calls.filter { $0 == "reserve" }.count } == 1)
      #expect(try await Self.count(client, "order.status_changed", of: order.id) == 2)
    }
  }

  @Test func aWriteByAnInstanceThatLostTheLeaseChangesNothing() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let order = try OrderDocument(
        id: UUID(), userID: UUID(), items: [], total: lamp.price, shippingAddress: Self.address,
        card: .init(brand: "visa", last4: "4242"), fromCart: false, createdAt: Date())
      let saga = CheckoutSaga(deadline: Date().addingTimeInterval(900))
      try await store.create(
        order, saga: saga, sealedCard: Data([1]), owner: "a", leaseUntil: Date().addingTimeInterval(-1),
        idempotencyKey: "k", events: [])
      #expect(
        try await store.claimAbandoned(owner: "b", leaseUntil: Date().addingTimeInterval(20), limit: 10, now: Date())
          == [order.id])
      #expect(
        try await store.claimAbandoned(owner: "c", leaseUntil: Date().addingTimeInterval(20), limit: 10, now: Date())
          .isEmpty)
      // The stale write would end the order, forget the card and record events: it does none of it.
      var ended = saga
      let ending = try ended.apply(.outOfStock, now: Date())
      #expect(
        try await store.record(
          ended, of: order.id, owner: "a", transition: ending,
          events: OrderEvents.saga(order, transition: ending, at: Date()), leaseUntil: Date(), at: Date()) == .lost)
      let untouched = try await client.query(
        """
        SELECT (SELECT count(*) FROM outbox)::int, (SELECT count(*) FROM order_status_history)::int,
          (SELECT count(*) FROM saga_credentials)::int, (SELECT status FROM orders)
        """, logger: Logger(label: "t"))
      for try await (events, history, cards, status) in untouched.decode((Int, Int, Int, String).self) {
        #expect(events == 0 && history == 1 && cards == 1 && status == "pending")
      }
      var moved = saga
      let transition = try moved.apply(.reserved, now: Date())
      #expect(
        try await store.record(
          moved, of: order.id, owner: "a", transition: transition, events: [], leaseUntil: Date(), at: Date()) == .lost)
      #expect(try await store.saga(of: order.id, owner: "a") == nil)
      #expect(try await store.saga(of: order.id, owner: "b")?.saga.step == .reserve)
      #expect(
        try await store.record(
          moved, of: order.id, owner: "b", transition: transition, events: [], leaseUntil: Date(), at: Date())
          == .written(cancelRequested: false))
      #expect(try await store.saga(of: order.id, owner: "b")?.saga.step == .charge)
    }
  }

  @Test func ordersAreListedNewestFirstPageByPage() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
      let user = UUID()
      var ids: [UUID] = []
      for index in 0..<5 {
        let order = OrderDocument(
          id: UUID(), userID: index == 4 ? UUID() : user, items: [], total: lamp.price, shippingAddress: Self.address,
          card: .init(brand: "visa", last4: "4242"), fromCart: false,
          createdAt: Date().addingTimeInterval(Double(index)))
        try await store.create(
          order, saga: CheckoutSaga(deadline: Date()), sealedCard: Data([1]), owner: "a", leaseUntil: Date(),
          idempotencyKey: "k\(index)", events: [])
        ids.append(order.id)
      }
      let first = try await store.orders(userID: user, status: nil, after: nil, limit: 3)
      #expect(first.orders.map(\.id) == [ids[3], ids[2], ids[1]])
      let second = try await store.orders(userID: user, status: nil, after: first.next, limit: 3)
      #expect(second.orders.map(\.id) == [ids[0]] && second.next == nil)
      #expect(try await store.orders(userID: nil, status: .pending, after: nil, limit: 10).orders.count == 5)
      #expect(try await store.orders(userID: nil, status: .paid, after: nil, limit: 10).orders.isEmpty)
      #expect(
        try await store.order(userID: user, idempotencyKey: "k2", since: Date().addingTimeInterval(-60)) == ids[2])
    }
  }
}
