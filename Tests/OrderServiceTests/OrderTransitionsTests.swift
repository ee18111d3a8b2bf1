import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopTestSupport
import Synchronization
import Testing

@testable import OrderService

/// The life after payment against a real PostgreSQL, with the product service and the
/// processor in memory: each transition, who may make it, and the races between them.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct OrderTransitionsTests {
  let inventory = FakeInventory()
  let payments = FakePayments()
  let lamp = ProductInfo(id: UUID(), name: "Lamp", price: Money(amount: 1500, currency: "USD"), available: 50)
  let owner = UUID()

  init() { inventory.add(lamp) }

  struct Stack {
    let store: PostgresOrderStore
    let runner: SagaRunner<PostgresOrderStore>
    let transitions: OrderTransitions<PostgresOrderStore>
    let client: PostgresClient
  }

  /// The store, a runner and the transitions over `client`'s database.
  func stack(_ client: PostgresClient) -> Stack {
    let store = PostgresOrderStore(client: client, logger: Logger(label: "test.orders"))
    let runner = SagaRunner(
      store: store, inventory: inventory, payments: payments, carts: FakeCarts(), vault: SagaRunnerTests.vault,
      owner: "a", recoveryInterval: .milliseconds(100), logger: Logger(label: "test.saga"))
    return Stack(
      store: store, runner: runner, transitions: OrderTransitions(store: store, runner: runner, wait: .seconds(5)),
      client: client)
  }

  /// Places an order of `owner`'s, waiting `wait` for its saga.
  func place(_ stack: Stack, wait: Duration) async throws -> Checkout<PostgresOrderStore>.Result {
    try await Checkout(
      store: stack.store, inventory: inventory, addresses: FakeAddresses(), carts: FakeCarts(), runner: stack.runner,
      wait: wait
    ).place(try SagaRunnerTests.request(lamp.id), for: owner, key: UUID().uuidString)
  }

  /// A paid order of `owner`'s, and the stack to move it with, running.
  func withPaidOrder(_ body: @escaping @Sendable (Stack, UUID) async throws -> Void) async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let stack = stack(client)
      try await SagaRunnerTests.running([stack.runner]) {
        let placed = try await place(stack, wait: .seconds(5))
        guard case .placed(let order) = placed, order.status == .paid else {
          Issue.record("not paid: \(placed)")
          return
        }
        try await body(stack, order.id)
      }
    }
  }

  var customer: OrderTransitions<PostgresOrderStore>.Caller { .init(id: owner, isAdmin: false) }
  static let admin = OrderTransitions<PostgresOrderStore>.Caller(id: UUID(), isAdmin: true)

  static func statusEvents(_ client: PostgresClient, of id: UUID) async throws -> [String] {
    let rows = try await client.query(
      """
      SELECT payload->'data'->>'to' FROM outbox WHERE type = 'order.status_changed' AND aggregate_id = \(id)
      ORDER BY aggregate_version, seq
      """, logger: Logger(label: "t"))
    var statuses: [String] = []
    for try await status in rows.decode(String.self) { statuses.append(status) }
    return statuses
  }

  @Test func aPaidOrderIsShippedDeliveredAndCompletedWithItsHistoryAndEvents() async throws {
    try await withPaidOrder { stack, id in
      let shipped = try await stack.transitions.apply(
        .ship(carrier: "DHL", trackingNumber: "JD0001"), to: id, by: Self.admin)
      #expect(shipped.status == .shipped && shipped.shipment?.carrier == "DHL")
      #expect(shipped.shipment?.trackingNumber == "JD0001")
      let delivered = try await stack.transitions.apply(.deliver, to: id, by: Self.admin)
      #expect(delivered.status == .delivered && delivered.deliveredAt != nil)
      let completed = try await stack.transitions.apply(.complete, to: id, by: customer)
      #expect(completed.status == .completed)
      #expect(completed.history.map(\.status) == [.pending, .paid, .shipped, .delivered, .completed])
      #expect(
        try await Self.statusEvents(stack.client, of: id) == ["pending", "paid", "shipped", "delivered", "completed"])
      let shipment = try await stack.client.query(
        """
        SELECT payload->'data'->'shipment'->>'tracking_number' FROM outbox
        WHERE aggregate_id = \(id) AND payload->'data'->>'to' = 'shipped'
        """, logger: Logger(label: "t"))
      for try await tracking in shipment.decode(String.self) { #expect(tracking == "JD0001") }
      // Each transition is a version of the order, and its event carries it.
      #expect(completed.version == shipped.version + 2)
    }
  }

  @Test func refusedTransitionsChangeNothing() async throws {
    try await withPaidOrder { stack, id in
      let before = try #require(try await stack.store.order(id: id))
      await #expect(throws: OrderError.invalidTransition("an order that is paid cannot deliver")) {
        try await stack.transitions.apply(.deliver, to: id, by: Self.admin)
      }
      await #expect(throws: OrderError.forbidden("only an admin may do this")) {
        try await stack.transitions.apply(.ship(carrier: "DHL", trackingNumber: "1"), to: id, by: customer)
      }
      // Someone else's order does not exist for them.
      await #expect(throws: OrderError.notFound("order")) {
        try await stack.transitions.apply(.cancel, to: id, by: .init(id: UUID(), isAdmin: false))
      }
      _ = try await stack.transitions.apply(.ship(carrier: "DHL", trackingNumber: "1"), to: id, by: Self.admin)
      await #expect(throws: OrderError.invalidTransition("an order that is shipped cannot cancel")) {
        try await stack.transitions.apply(.cancel, to: id, by: customer)
      }
      let after = try #require(try await stack.store.order(id: id))
      #expect(after.history.map(\.status) == before.history.map(\.status) + [.shipped])
      #expect(payments.state.withLock { $0.refunds } == 0)
    }
  }

  @Test func aCancelledPaidOrderIsRefundedAndItsStockGoesBack() async throws {
    try await withPaidOrder { stack, id in
      let available = inventory.state.withLock { $0.products[lamp.id]!.available }
      let cancelled = try await stack.transitions.apply(.cancel, to: id, by: customer)
      #expect(cancelled.status == .cancelled && cancelled.cancelReason == .userCancelled)
      #expect(cancelled.paymentStatus == "refunded" && cancelled.sagaStep == .finished)
      #expect(cancelled.history.map(\.status) == [.pending, .paid, .cancelled])
      #expect(payments.state.withLock { $0.refunds } == 1)
      #expect(inventory.state.withLock { $0.products[lamp.id]!.available } == available + 2)
      #expect(inventory.state.withLock { $0.calls.last } == "restock")
      #expect(try await Self.statusEvents(stack.client, of: id) == ["pending", "paid", "cancelled"])
      // A retried cancel is refused and refunds nothing again.
      await #expect(throws: OrderError.invalidTransition("an order that is cancelled cannot cancel")) {
        try await stack.transitions.apply(.cancel, to: id, by: customer)
      }
      #expect(payments.state.withLock { $0.refunds } == 1)
    }
  }

  @Test func aCancelWhoseRefundCannotBeMadeYetIsFinishedLater() async throws {
    try await withPaidOrder { stack, id in
      let available = inventory.state.withLock { $0.products[lamp.id]!.available }
      payments.state.withLock { $0.failingRefunds = true }
      let cancelled = try await stack.transitions.apply(.cancel, to: id, by: customer)
      // Recorded at once; the money and the stock follow once the processor answers.
      #expect(cancelled.status == .cancelled && cancelled.sagaStep == .refund)
      #expect(payments.state.withLock { $0.refunds } == 0)
      #expect(inventory.state.withLock { $0.products[lamp.id]!.available } == available)
      payments.state.withLock { $0.failingRefunds = false }
      try await waitUntil { try await stack.store.order(id: id)?.sagaStep == .finished }
      let finished = try #require(try await stack.store.order(id: id))
      #expect(finished.paymentStatus == "refunded")
      #expect(payments.state.withLock { $0.refunds } == 1)
      #expect(inventory.state.withLock { $0.products[lamp.id]!.available } == available + 2)
    }
  }

  @Test func aRefundStepRunAgainAfterItsRefundRefundsNothing() async throws {
    try await withPaidOrder { stack, id in
      _ = try await stack.transitions.apply(.cancel, to: id, by: customer)
      #expect(payments.state.withLock { $0.refunds } == 1)
      // As an instance that died after refunding, before recording it, would run it again.
      let record = try #require(try await stack.store.saga(of: id, owner: "a"))
      var again = record
      again.saga = .cancelling(paymentID: record.saga.paymentID, deadline: record.saga.deadline)
      #expect(await stack.runner.execute(again) == .refunded)
      #expect(payments.state.withLock { $0.refunds } == 1)
    }
  }

  @Test func aCancelWhoseRestockCannotBeMadeYetIsFinishedLater() async throws {
    try await withPaidOrder { stack, id in
      inventory.state.withLock { $0.failing = true }
      let cancelled = try await stack.transitions.apply(.cancel, to: id, by: customer)
      // Recorded at once; the stock cannot go back while the product service is down.
      #expect(cancelled.status == .cancelled && cancelled.sagaStep == .restock)
      inventory.state.withLock { $0.failing = false }
      try await waitUntil { try await stack.store.order(id: id)?.sagaStep == .finished }
      #expect(inventory.state.withLock { $0.calls.filter { $0 == "restock" }.count } >= 2)
      #expect(payments.state.withLock { $0.refunds } == 1)
    }
  }

  @Test func aPendingOrderCancelledWhileItsChargeRunsIsCompensatedBySaga() async throws {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let stack = stack(client)
      payments.state.withLock { $0.chargeDelay = .seconds(2) }
      try await SagaRunnerTests.running([stack.runner]) {
        async let placing = place(stack, wait: .seconds(5))
        // Cancelled while the charge is under way.
        try await waitUntil { payments.state.withLock { $0.chargesStarted } == 1 }
        let id = try #require(
          try await stack.store.orders(userID: owner, status: nil, after: nil, limit: 1).orders.first?.id)
        let cancelled = try await stack.transitions.apply(.cancel, to: id, by: customer)
        #expect(cancelled.status == .cancelled && cancelled.cancelReason == .userCancelled)
        #expect(cancelled.history.map(\.status) == [.pending, .cancelled])
        // The charge ran to its answer and was given back, and so was the stock.
        #expect(payments.state.withLock { ($0.charges, $0.refunds) } == (1, 1))
        #expect(cancelled.paymentStatus == "refunded")
        #expect(inventory.state.withLock { $0.products[lamp.id]!.available } == 50)
        #expect(inventory.state.withLock { $0.calls } == ["reserve", "restock"])
        #expect(try await Self.statusEvents(client, of: id) == ["pending", "cancelled"])
        _ = try await placing
      }
    }
  }

  @Test func aShipAfterACancelWasAskedForIsRefused() async throws {
    try await withPaidOrder { stack, id in
      try await stack.client.query("UPDATE orders SET cancel_requested_at = now() WHERE id = \(id)")
      await #expect(throws: OrderError.invalidTransition("an order that is paid cannot ship")) {
        try await stack.transitions.apply(.ship(carrier: "DHL", trackingNumber: "1"), to: id, by: Self.admin)
      }
      // Conditional in the store too: a ship decided before the request does not write.
      let order = try #require(try await stack.store.order(id: id))
      let ship = OrderTransition(
        id: id, from: .paid, to: .shipped, at: Date(),
        shipment: .init(carrier: "DHL", trackingNumber: "1", shippedAt: Date()))
      #expect(try await stack.store.transition(ship, events: OrderEvents.lifecycle(order.document, ship)) == false)
      #expect(try await stack.transitions.cancelRequestedPaid(limit: 10) == 1)
    }
  }

  @Test func aPaidOrderWhoseCancelCameTooLateForItsSagaIsCancelledOnce() async throws {
    try await withPaidOrder { stack, id in
      // The cancel was asked for while the saga made its last step.
      try await stack.client.query("UPDATE orders SET cancel_requested_at = now() WHERE id = \(id)")
      async let first = stack.transitions.cancelRequestedPaid(limit: 10)
      async let second = stack.transitions.cancelRequestedPaid(limit: 10)
      #expect(try await first + second == 1)
      try await waitUntil { try await stack.store.order(id: id)?.sagaStep == .finished }
      let order = try #require(try await stack.store.order(id: id))
      #expect(order.status == .cancelled && order.paymentStatus == "refunded")
      #expect(order.history.map(\.status) == [.pending, .paid, .cancelled])
      #expect(payments.state.withLock { $0.refunds } == 1)
      #expect(inventory.state.withLock { $0.calls.last } == "restock")
      #expect(try await stack.transitions.cancelRequestedPaid(limit: 10) == 0)
    }
  }

  @Test func twoCancelsAtOnceRefundOnce() async throws {
    try await withPaidOrder { stack, id in
      async let first = try? await stack.transitions.apply(.cancel, to: id, by: customer)
      async let second = try? await stack.transitions.apply(.cancel, to: id, by: Self.admin)
      let (a, b) = await (first, second)
      #expect((a == nil) != (b == nil), "exactly one cancel wins")
      try await waitUntil { try await stack.store.order(id: id)?.sagaStep == .finished }
      #expect(payments.state.withLock { $0.refunds } == 1)
      #expect(inventory.state.withLock { $0.calls.filter { $0 == "restock" }.count } == 1)
      #expect(try await Self.statusEvents(stack.client, of: id) == ["pending", "paid", "cancelled"])
    }
  }

  @Test func twoConcurrentShipsGiveOneWinner() async throws {
    try await withPaidOrder { stack, id in
      let results = await withTaskGroup(of: Bool.self) { group in
        for n in 0..<2 {
          group.addTask {
            (try? await stack.transitions.apply(.ship(carrier: "DHL", trackingNumber: "T\(n)"), to: id, by: Self.admin))
              != nil
          }
        }
        return await group.reduce(into: [Bool]()) { $0.append($1) }
      }
      #expect(results.filter { $0 }.count == 1)
      let order = try #require(try await stack.store.order(id: id))
      #expect(order.history.map(\.status) == [.pending, .paid, .shipped])
    }
  }

  @Test(arguments: 0..<20)
  func aCancelRacingAShipHasOneWinnerAndRefundsOnlyIfItWon(round: Int) async throws {
    try await withPaidOrder { stack, id in
      async let ship = try? await stack.transitions.apply(
        .ship(carrier: "DHL", trackingNumber: "R\(round)"), to: id, by: Self.admin)
      async let cancel = try? await stack.transitions.apply(.cancel, to: id, by: customer)
      let (shipped, cancelled) = await (ship, cancel)
      #expect((shipped == nil) != (cancelled == nil), "exactly one wins")
      let order = try #require(try await stack.store.order(id: id))
      #expect(order.history.count == 3)
      #expect(payments.state.withLock { $0.refunds } == (cancelled == nil ? 0 : 1))
      #expect(order.status == (cancelled == nil ? .shipped : .cancelled))
    }
  }

  @Test func aDeliveredOrderCompletesByItselfOnce() async throws {
    try await withPaidOrder { stack, id in
      _ = try await stack.transitions.apply(.ship(carrier: "DHL", trackingNumber: "1"), to: id, by: Self.admin)
      let delivered = try await stack.transitions.apply(.deliver, to: id, by: Self.admin)
      let at = try #require(delivered.deliveredAt)
      #expect(try await stack.transitions.completeDelivered(after: .seconds(60), limit: 10, now: at) == 0)
      let later = at.addingTimeInterval(61)
      async let first = stack.transitions.completeDelivered(after: .seconds(60), limit: 10, now: later)
      async let second = stack.transitions.completeDelivered(after: .seconds(60), limit: 10, now: later)
      #expect(try await first + second == 1)
      let order = try #require(try await stack.store.order(id: id))
      #expect(order.status == .completed && order.history.count == 5)
    }
  }
}
