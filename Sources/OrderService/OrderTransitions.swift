import Foundation

/// Carries out ``OrderLifecycle``'s decisions: reads the order, asks the lifecycle whether the
/// caller may move it, writes the move conditional on the status it was decided from, and,
/// for a cancel, runs the compensation (refund, stock back) as a saga of this instance, which
/// the recovery of any instance finishes when this one cannot.
public struct OrderTransitions<Store: OrderStore>: Sendable {
  let store: Store
  let runner: SagaRunner<Store>
  /// How long a cancel waits for its refund before answering.
  let wait: Duration

  public init(store: Store, runner: SagaRunner<Store>, wait: Duration) {
    self.store = store
    self.runner = runner
    self.wait = wait
  }

  /// The caller, as the forwarded token names them.
  public struct Caller: Sendable, Equatable {
    public var id: UUID
    public var isAdmin: Bool

    public init(id: UUID, isAdmin: Bool) {
      self.id = id
      self.isAdmin = isAdmin
    }
  }

  /// Moves the order and answers it as it now stands.
  public func apply(_ action: OrderLifecycle.Action, to id: UUID, by caller: Caller, now: Date = Date()) async throws
    -> OrderRecord
  {
    guard let order = try await store.order(id: id), caller.isAdmin || order.document.userID == caller.id else {
      throw OrderError.notFound("order")
    }
    let change = try decide(action, for: order, by: caller, at: now)
    if order.status == .pending {
      // The saga owns a pending order: it is asked to cancel, and does at its next step.
      if try await store.requestCancel(of: id, at: now) {
        runner.wake(id)
        return try await settled(id)
      }
    } else if try await write(change, of: order) {
      if let compensation = change.compensation {
        runner.start(
          SagaRecord(document: order.document, saga: compensation.saga, sealedCard: nil, reportedPayment: nil))
        _ = await runner.waitForEnd(id, timeout: wait)
        _ = runner.finishWaiting(id)
      }
      guard let moved = try await store.order(id: id) else { throw OrderError.notFound("order") }
      return moved
    }
    // The order moved on meanwhile (its saga ended, or another request moved it): decided
    // again from where it is now.
    guard let current = try await store.order(id: id) else { throw OrderError.notFound("order") }
    guard current.status != order.status else { throw OrderError.invalidTransition("the order changed meanwhile") }
    return try await apply(action, to: id, by: caller, now: now)
  }

  /// The order once a cancel asked of its saga is carried out, or as it stands after `wait`.
  private func settled(_ id: UUID) async throws -> OrderRecord {
    let deadline = ContinuousClock.now + wait
    while true {
      guard let order = try await store.order(id: id) else { throw OrderError.notFound("order") }
      // The saga may end paid before it sees the cancel; the paid order is then cancelled.
      let cancelling = order.status == .pending || (order.status == .paid && order.sagaStep == .finished)
      if !cancelling || ContinuousClock.now >= deadline { return order }
      // The saga may run on another instance, so its end is read, not awaited.
      try await Task.sleep(for: .milliseconds(100))
    }
  }

  /// Cancels up to `limit` paid orders whose cancel was asked for while their saga ran
  /// (``RequestedCancellations``); how many it cancelled.
  public func cancelRequestedPaid(limit: Int, now: Date = Date()) async throws -> Int {
    var cancelled = 0
    for id in try await store.cancelRequestedPaid(limit: limit) {
      guard let order = try await store.order(id: id), order.status == .paid else { continue }
      let change = try decide(.cancel, for: order, by: Caller(id: order.document.userID, isAdmin: false), at: now)
      guard try await write(change, of: order),
        let compensation = change.compensation
      else { continue }
      runner.resume(
        SagaRecord(document: order.document, saga: compensation.saga, sealedCard: nil, reportedPayment: nil))
      cancelled += 1
    }
    return cancelled
  }

  /// Completes up to `limit` orders delivered at least `after` ago
  /// (``OrderLifecycle/Action/autoComplete``); how many it completed. One completed meanwhile
  /// by its owner is skipped.
  public func completeDelivered(after: Duration, limit: Int, now: Date = Date()) async throws -> Int {
    var completed = 0
    for id in try await store.delivered(before: now.addingTimeInterval(-(after / .seconds(1))), limit: limit) {
      guard let order = try await store.order(id: id), order.status == .delivered, let deliveredAt = order.deliveredAt,
        OrderLifecycle.isDueForCompletion(deliveredAt: deliveredAt, now: now, after: after)
      else { continue }
      let change = try decide(.autoComplete, for: order, by: Caller(id: order.document.userID, isAdmin: false), at: now)
      if try await write(change, of: order) { completed += 1 }
    }
    return completed
  }

  /// The transition the lifecycle allows the caller, or the refusal as the client sees it.
  func decide(_ action: OrderLifecycle.Action, for order: OrderRecord, by caller: Caller, at now: Date) throws
    -> OrderTransition
  {
    let isOwner = order.document.userID == caller.id
    // An admin completing an order of their own does it as its owner.
    let actor: OrderLifecycle.Actor =
      switch action {
      case .complete: isOwner ? .owner : (caller.isAdmin ? .admin : .owner)
      case .autoComplete: .service
      default: caller.isAdmin ? .admin : .owner
      }
    let to: OrderStatus
    do {
      to = try OrderLifecycle.next(from: order.status, action, by: actor, cancelRequested: order.cancelRequested)
    } catch .forbidden {
      throw OrderError.forbidden("only \(action == .complete ? "the order's owner" : "an admin") may do this")
    } catch .invalidTransition(let from, let name) {
      throw OrderError.invalidTransition("an order that is \(from.rawValue) cannot \(name)")
    }
    var change = OrderTransition(id: order.id, from: order.status, to: to, at: now)
    switch action {
    case .ship(let carrier, let trackingNumber):
      change.shipment = .init(carrier: carrier, trackingNumber: trackingNumber, shippedAt: now)
    case .cancel:
      change.cancelReason = .userCancelled
      change.compensation = .init(
        saga: .cancelling(paymentID: order.paymentID, deadline: now), owner: runner.owner,
        leaseUntil: now.addingTimeInterval(runner.lease / .seconds(1)))
    case .deliver, .complete, .autoComplete:
      break
    }
    return change
  }
}

extension OrderTransitions {
  /// Writes the move with its event, conditional on the status it was decided from; whether
  /// it was written (false: the order moved meanwhile).
  func write(_ change: OrderTransition, of order: OrderRecord) async throws -> Bool {
    guard try await store.transition(change, events: OrderEvents.lifecycle(order.document, change)) else {
      return false
    }
    OrderMetrics().reached(change.to)
    return true
  }
}
