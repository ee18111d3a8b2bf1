import Foundation
import ShopContracts

/// Places an order: reads what is ordered (the lines given, or the cart), prices it at the
/// catalog's current prices, writes it `pending` with its saga, starts the saga and waits for
/// it at most `wait` (`checkout.waitMs`). The saga goes on in the background when the wait
/// runs out.
public struct Checkout<Store: OrderStore>: Sendable {
  let store: Store
  let inventory: any Inventory
  let addresses: any AddressBook
  let carts: any CartStore
  let runner: SagaRunner<Store>
  let wait: Duration

  public init(
    store: Store, inventory: any Inventory, addresses: any AddressBook, carts: any CartStore,
    runner: SagaRunner<Store>, wait: Duration
  ) {
    self.store = store
    self.inventory = inventory
    self.addresses = addresses
    self.carts = carts
    self.runner = runner
    self.wait = wait
  }

  /// How placing ended, for the answer to the customer.
  public enum Result: Sendable, Equatable {
    /// Paid, or still pending when the wait ran out.
    case placed(OrderRecord)
    /// Cancelled because the card was declined.
    case paymentFailed(OrderRecord)
    /// Cancelled because these lines could not be held.
    case outOfStock(OrderRecord, [ShortLine])
  }

  /// - Parameters:
  ///   - key: the request's idempotency key, kept with the order.
  ///   - takingOver: the key's first request died before it answered; the order it may have
  ///     placed is answered instead of placing another.
  public func place(
    _ request: CheckoutRequest, for userID: UUID, key: String, takingOver: Bool = false, now: Date = Date()
  ) async throws -> Result {
    if takingOver,
      let earlier = try await store.order(userID: userID, idempotencyKey: key, since: now.addingTimeInterval(-86_400))
    {
      return try await answer(for: earlier)
    }
    let fromCart = request.lines == nil
    let lines: [(productID: UUID, quantity: Int64)]
    if let given = request.lines {
      lines = given
    } else {
      lines = try await carts.lines(of: userID).map { ($0.key, $0.value) }.sorted { $0.0.uuidString < $1.0.uuidString }
      guard !lines.isEmpty else { throw OrderError.invalid("items", "the cart is empty: give items or fill the cart") }
    }
    let products = try await inventory.products(lines.map(\.productID))
    let (priced, total) = try CheckoutRequest.price(lines, products: products)
    let address: PostalAddress
    switch request.shipping {
    case .given(let given): address = given
    case .saved(let id):
      guard let saved = try await addresses.address(id, of: userID) else { throw OrderError.notFound("address") }
      address = saved
    }
    let order = OrderDocument(
      id: UUID(), userID: userID, items: priced, total: total, shippingAddress: address,
      card: .init(brand: request.card.number.brand.rawValue, last4: request.card.number.lastFour),
      fromCart: fromCart, createdAt: now)
    let saga = CheckoutSaga(deadline: now.addingTimeInterval(runner.reservationTTL / .seconds(1)))
    let sealed = try runner.vault.seal(request.card, for: order.id)
    try await store.create(
      order, saga: saga, sealedCard: sealed, owner: runner.owner,
      leaseUntil: now.addingTimeInterval(runner.lease / .seconds(1)), idempotencyKey: key,
      events: OrderEvents.placed(order))
    OrderMetrics().reached(.pending)
    runner.start(SagaRecord(document: order, saga: saga, sealedCard: sealed, reportedPayment: nil))
    return try await answer(for: order.id)
  }

  /// Waits for the saga, then reads how the order stands.
  private func answer(for id: UUID) async throws -> Result {
    runner.endings.expect(id)
    _ = await runner.waitForEnd(id, timeout: wait)
    let short = runner.finishWaiting(id)
    guard let order = try await store.order(id: id) else { throw OrderError.notFound("order") }
    switch (order.status, order.cancelReason) {
    case (.cancelled, .paymentFailed): return .paymentFailed(order)
    case (.cancelled, .outOfStock): return .outOfStock(order, short)
    default: return .placed(order)
    }
  }
}
