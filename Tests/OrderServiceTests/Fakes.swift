import Foundation
import ShopContracts
import Synchronization

@testable import OrderService

/// A product service in memory: stock per product, reservations by order, every call counted.
final class FakeInventory: Inventory, Sendable {
  struct State {
    var products: [UUID: ProductInfo] = [:]
    var held: [UUID: [(UUID, Int64)]] = [:]
    var committed: Set<UUID> = []
    var calls: [String] = []
    var failing = false
  }

  let state = Mutex(State())

  func add(_ product: ProductInfo) { state.withLock { $0.products[product.id] = product } }

  func products(_ ids: [UUID]) async throws -> [UUID: ProductInfo] {
    try state.withLock { state in
      if state.failing { throw OrderError.unavailable("product") }
      return state.products.filter { ids.contains($0.key) }
    }
  }

  func reserve(orderID: UUID, lines: [(UUID, Int64)], ttl: Duration) async throws -> ReservationResult {
    try state.withLock { state in
      state.calls.append("reserve")
      if state.failing { throw OrderError.unavailable("product") }
      if state.held[orderID] != nil { return .reserved }
      let short = lines.compactMap { id, quantity -> ShortLine? in
        let available = state.products[id]?.available ?? 0
        return available >= quantity ? nil : ShortLine(productID: id, requested: quantity, available: available)
      }
      guard short.isEmpty else { return .outOfStock(short) }
      for (id, quantity) in lines { state.products[id]?.available -= quantity }
      state.held[orderID] = lines
      return .reserved
    }
  }

  func commit(orderID: UUID) async throws -> SagaOutcome {
    try state.withLock { state in
      state.calls.append("commit")
      if state.failing { throw OrderError.unavailable("product") }
      guard state.held[orderID] != nil else { return .reservationExpired }
      state.committed.insert(orderID)
      return .committed
    }
  }

  func release(orderID: UUID) async throws {
    try state.withLock { state in
      state.calls.append("release")
      if state.failing { throw OrderError.unavailable("product") }
      guard !state.committed.contains(orderID), let lines = state.held.removeValue(forKey: orderID) else { return }
      for (id, quantity) in lines { state.products[id]?.available += quantity }
    }
  }

  func restock(orderID: UUID) async throws {
    try state.withLock { state in
      state.calls.append("restock")
      if state.failing { throw OrderError.unavailable("product") }
      state.committed.remove(orderID)
      guard let lines = state.held.removeValue(forKey: orderID) else { return }
      for (id, quantity) in lines { state.products[id]?.available += quantity }
    }
  }
}

/// A card processor in memory that charges once per order, like the sandbox with its keys.
final class FakePayments: PaymentProvider, Sendable {
  struct State {
    var payments: [UUID: ProviderPayment] = [:]
    /// Charges begun, and answered.
    var chargesStarted = 0
    var charges = 0
    var refunds = 0
    var voids = 0
    /// Charges that fail as unavailable before one goes through.
    var unavailableCharges = 0
    var chargeDelay: Duration = .zero
    /// Refunds fail as unavailable while set.
    var failingRefunds = false
  }

  let state = Mutex(State())

  func charge(orderID: UUID, amount: Money, card: PaymentCard) async -> SagaOutcome {
    let delay = state.withLock { state in
      state.chargesStarted += 1
      return state.chargeDelay
    }
    if delay > .zero { try? await Task.sleep(for: delay) }
    return state.withLock { state in
      state.charges += 1
      if state.unavailableCharges > 0 {
        state.unavailableCharges -= 1
        return .unavailable("500")
      }
      if let existing = state.payments[orderID] {
        return existing.status == "failed"
          ? .declined(paymentID: existing.id, code: existing.failureCode ?? "") : .captured(paymentID: existing.id)
      }
      let declined = card.number.digits == "4000000000000002"
      let payment = ProviderPayment(
        id: "pay_\(state.payments.count + 1)", reference: orderID.lowercased, status: declined ? "failed" : "captured",
        failureCode: declined ? "card_declined" : nil)
      state.payments[orderID] = payment
      return declined ? .declined(paymentID: payment.id, code: "card_declined") : .captured(paymentID: payment.id)
    }
  }

  func payments(orderID: UUID) async throws -> [ProviderPayment] {
    state.withLock { $0.payments[orderID].map { [$0] } ?? [] }
  }

  func refund(paymentID: String, orderID: UUID) async throws {
    try state.withLock { state in
      if state.failingRefunds { throw OrderError.unavailable("payment provider") }
      state.refunds += 1
      state.payments[orderID]?.status = "refunded"
    }
  }

  func void(paymentID: String, orderID: UUID) async throws {
    state.withLock { state in
      state.voids += 1
      state.payments[orderID]?.status = "voided"
    }
  }
}

final class FakeCarts: CartStore, Sendable {
  let carts = Mutex<[UUID: [UUID: Int64]]>([:])

  func lines(of userID: UUID) async throws -> [UUID: Int64] { carts.withLock { $0[userID] ?? [:] } }
  func set(_ quantity: Int64, of productID: UUID, for userID: UUID) async throws {
    carts.withLock { $0[userID, default: [:]][productID] = quantity }
  }
  func remove(_ productID: UUID, for userID: UUID) async throws {
    carts.withLock { _ = $0[userID]?.removeValue(forKey: productID) }
  }
  func clear(for userID: UUID) async throws { carts.withLock { _ = $0.removeValue(forKey: userID) } }
}

struct FakeAddresses: AddressBook {
  func address(_ id: UUID, of userID: UUID) async throws -> PostalAddress? { nil }
}
