import Foundation
import Logging
import ServiceContextModule
import ServiceLifecycle
import ShopContracts
import Synchronization

/// Runs checkout sagas (DESIGN.md §5): each step's outcome goes through ``CheckoutSaga`` and is
/// written, with its events, before the next step runs. A saga is run by the instance that
/// holds its lease, which every step's write extends; every write is fenced on that lease, so two
/// instances never move one saga. Every `recoveryInterval` the runner takes over sagas whose
/// lease ran out (their instance died) and resumes or compensates them.
public final class SagaRunner<Store: OrderStore>: Service, Sendable {
  let store: Store
  let inventory: any Inventory
  let payments: any PaymentProvider
  let carts: any CartStore
  let vault: CardVault
  /// This instance, as leases name it.
  public let owner: String
  let lease: Duration
  let recoveryInterval: Duration
  let reservationTTL: Duration
  let logger: Logger
  /// Sagas to drive: with the record when this instance just wrote it, without when claimed;
  /// with the context of the request that started it, so that its calls are part of that
  /// request's trace.
  private let started: AsyncStream<(UUID, SagaRecord?, ServiceContext?)>
  private let starter: AsyncStream<(UUID, SagaRecord?, ServiceContext?)>.Continuation
  private let running = Mutex<Set<UUID>>([])
  private let shortLines = Mutex<[UUID: [ShortLine]]>([:])
  let endings = CompletionSignals()
  let webhooks = CompletionSignals()

  public init(
    store: Store, inventory: any Inventory, payments: any PaymentProvider, carts: any CartStore, vault: CardVault,
    owner: String, lease: Duration = .seconds(20), recoveryInterval: Duration = .seconds(1),
    reservationTTL: Duration = .seconds(900), logger: Logger
  ) {
    self.store = store
    self.inventory = inventory
    self.payments = payments
    self.carts = carts
    self.vault = vault
    self.owner = owner
    self.lease = lease
    self.recoveryInterval = recoveryInterval
    self.reservationTTL = reservationTTL
    self.logger = logger
    (started, starter) = AsyncStream.makeStream(of: (UUID, SagaRecord?, ServiceContext?).self)
  }

  public func run() async throws {
    await withGracefulShutdownHandler {
      await withTaskGroup(of: Void.self) { group in
        group.addTask { await self.recover() }
        for await (id, record, context) in started {
          group.addTask {
            await ServiceContext.withValue(context ?? .topLevel) { await self.drive(id, from: record) }
          }
        }
        await group.waitForAll()
      }
    } onGracefulShutdown: {
      self.starter.finish()
    }
    // What is left unfinished is taken over by another instance at once, not after the lease.
    try? await store.releaseLeases(owner: owner)
  }

  /// Runs the saga of an order this instance just created (and holds), for a request that
  /// waits for its end.
  func start(_ record: SagaRecord) {
    endings.expect(record.document.id)
    resume(record)
  }

  /// Runs a saga this instance just wrote (and holds), for no one waiting.
  func resume(_ record: SagaRecord) {
    starter.yield((record.document.id, record, ServiceContext.current))
  }

  /// Waits up to `timeout` for the saga to end; true when it did.
  func waitForEnd(_ id: UUID, timeout: Duration) async -> Bool {
    await endings.wait(for: id, timeout: timeout)
  }

  /// Forgets what was kept for the request that placed the order: the lines that were short.
  func finishWaiting(_ id: UUID) -> [ShortLine] {
    endings.forget(id)
    return shortLines.withLock { $0.removeValue(forKey: id) } ?? []
  }

  /// Something the saga waits for happened (a payment webhook arrived, a cancel was asked
  /// for): a saga waiting to retry its step reads itself again and goes on now.
  func wake(_ id: UUID) {
    webhooks.signal(id)
  }

  private func recover() async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      do {
        let now = Date()
        let claimed = try await store.claimAbandoned(
          owner: owner, leaseUntil: now.addingTimeInterval(lease / .seconds(1)), limit: 50, now: now)
        if !claimed.isEmpty { logger.info("sagas taken over", metadata: ["saga.count": "\(claimed.count)"]) }
        for id in claimed { starter.yield((id, nil, nil)) }
      } catch {
        logger.warning("saga recovery failed", metadata: ["error.message": "\(error)"])
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.recoveryInterval) }
    }
  }

  /// Moves one saga on until it ends, this instance loses it, or the process stops.
  /// - Parameter record: the saga as this instance just wrote it; read (fenced) when nil.
  func drive(_ id: UUID, from record: SagaRecord?) async {
    // A saga already running here is not run twice. A claim of it (no record) is dropped; a
    // saga just written for it (a cancel's compensation after the checkout's end) waits for
    // the run before it to finish.
    while !running.withLock({ $0.insert(id).inserted }) {
      guard record != nil, !Task.isCancelled else { return }
      try? await Task.sleep(for: .milliseconds(20))
    }
    defer {
      running.withLock { _ = $0.remove(id) }
      endings.signal(id)
    }
    var logger = self.logger
    logger[metadataKey: "order.id"] = "\(id.lowercased)"
    do {
      // Reading it as its owner fences the first step of a saga claimed; every other step runs
      // under the lease that the write before it (the claim's, the creation's or the step's)
      // extended, with the saga as that write left it.
      var current = if let record { record } else { try await store.saga(of: id, owner: owner) }
      while !Task.isShuttingDownGracefully {
        guard let record = current, record.saga.step != .finished else { return }
        var saga = record.saga
        let transition: CheckoutSaga.Transition
        if record.cancelRequested, let cancelling = saga.cancel() {
          // Cancelled while it ran: it compensates instead of running the step.
          logger.info("saga cancelled by request", metadata: ["saga.step": "\(record.saga.step.rawValue)"])
          transition = cancelling
        } else {
          let outcome = await execute(record)
          transition = try saga.apply(outcome, now: Date())
        }
        let now = Date()
        let events = OrderEvents.saga(record.document, transition: transition, at: now)
        let write = try await store.record(
          saga, of: id, owner: owner, transition: transition, events: events,
          leaseUntil: now.addingTimeInterval(lease / .seconds(1)), at: now)
        guard case .written(let cancelRequested) = write else {
          logger.info("saga taken over by another instance")
          return
        }
        transition.events.forEach(OrderMetrics().learned)
        if let ending = transition.ending {
          OrderMetrics().reached(ending.status.0)
          logger.info("saga finished", metadata: ["order.status": "\(ending.status.0.rawValue)"])
          if ending == .paid, record.document.fromCart {
            try? await carts.clear(for: record.document.userID)
          }
          // A paid order whose cancel came too late for the saga is cancelled as a paid
          // order, by ``RequestedCancellations``.
          if ending == .paid, cancelRequested { logger.info("paid before the cancel could stop it") }
          return
        }
        if let delay = transition.retryAfter {
          logger.debug("saga step will be retried", metadata: ["saga.step": "\(saga.step.rawValue)"])
          webhooks.expect(id)
          _ = await webhooks.wait(for: id, timeout: delay)
          webhooks.forget(id)
          // A webhook may have reported the payment meanwhile, or a cancel been asked for.
          current = try await store.saga(of: id, owner: owner)
        } else {
          current?.saga = saga
          current?.cancelRequested = cancelRequested
        }
      }
    } catch {
      // The lease runs out and an instance (this one too) takes the saga over.
      logger.warning("saga interrupted", metadata: ["error.message": "\(error)"])
    }
  }

  /// Runs the saga's current step; every failure to reach a service is `.unavailable`.
  func execute(_ record: SagaRecord) async -> SagaOutcome {
    let order = record.document
    do {
      switch record.saga.step {
      case .reserve:
        switch try await inventory.reserve(
          orderID: order.id, lines: order.items.map { ($0.productID, $0.quantity) }, ttl: reservationTTL)
        {
        case .reserved: return .reserved
        case .outOfStock(let lines):
          // Kept for the request that waits to list them; a saga taken over has none.
          if endings.isExpected(order.id) { shortLines.withLock { $0[order.id] = lines } }
          return .outOfStock
        }
      case .charge:
        if let known = try await knownPayment(record) { return known }
        guard let sealed = record.sealedCard, let card = vault.open(sealed, for: order.id) else {
          return .declined(paymentID: nil, code: "card_unavailable")
        }
        return await payments.charge(orderID: order.id, amount: order.total, card: card)
      case .commit:
        return try await inventory.commit(orderID: order.id)
      case .refund:
        for payment in try await payments.payments(orderID: order.id) {
          switch payment.status {
          case "captured": try await payments.refund(paymentID: payment.id, orderID: order.id)
          case "authorized": try await payments.void(paymentID: payment.id, orderID: order.id)
          default: break
          }
        }
        return .refunded
      case .release:
        try await inventory.release(orderID: order.id)
        return .released
      case .restock:
        try await inventory.restock(orderID: order.id)
        return .restocked
      case .finished:
        return .unavailable("the saga is finished")
      }
    } catch {
      return .unavailable("\(error)")
    }
  }

  /// How an earlier charge ended, when that is known: from the provider's webhook, or, when
  /// the charge was tried before, from the provider itself.
  private func knownPayment(_ record: SagaRecord) async throws -> SagaOutcome? {
    var reported = record.reportedPayment.map { [$0] } ?? []
    if reported.isEmpty, record.saga.attempts > 0 {
      reported = try await payments.payments(orderID: record.document.id)
    }
    if let captured = reported.first(where: { $0.status == "captured" }) {
      return .captured(paymentID: captured.id)
    }
    if let failed = reported.first(where: { $0.status == "failed" }) {
      return .declined(paymentID: failed.id, code: failed.failureCode ?? "declined")
    }
    return nil
  }
}
