import Foundation
import ShopResilience

/// The checkout saga's decisions, without I/O: given the step it is at and what running the
/// step came to, which step runs next, which compensation answers which failure, and how the
/// order ends. The order service persists the saga after every transition and runs its steps.
///
/// - reserve → charge → commit → paid;
/// - out of stock: cancelled (`out_of_stock`), nothing is held;
/// - declined: release → cancelled (`payment_failed`);
/// - the reservation expired before the commit: refund → release → cancelled
///   (`reservation_expired`);
/// - a step that cannot be run (`unavailable`) is retried with backoff; a forward step still
///   failing at the deadline (the reservation's expiry) compensates instead: release after
///   reserve, refund and release after charge, since whether it took effect is not known;
/// - a paid order cancelled by its owner or an admin (``cancelling(paymentID:deadline:)``):
///   refund → restock → finished; its status already says `cancelled`, so the ending
///   changes nothing more;
/// - a cancel asked for while the saga runs (``cancel()``): the reserve or the commit
///   compensates instead of running, refund → restock → cancelled (`user_cancelled`); a
///   charge first runs to an answer, so that no capture is left behind unrefunded.
public struct CheckoutSaga: Sendable, Equatable {
  public private(set) var step: SagaStep
  /// Failed attempts of the current step.
  public private(set) var attempts: Int
  /// Set once compensation begins: how the order will end.
  public private(set) var cancelReason: CancelReason?
  public private(set) var paymentID: String?
  /// Compensating an order cancelled after payment: its status already says `cancelled`.
  public private(set) var afterPayment: Bool
  /// When the stock held for the order expires.
  public let deadline: Date
  public static let retryPolicy = RetryPolicy(
    maxAttempts: .max, initialBackoff: .milliseconds(200), maxBackoff: .seconds(5))

  public init(
    step: SagaStep = .reserve, attempts: Int = 0, cancelReason: CancelReason? = nil, paymentID: String? = nil,
    afterPayment: Bool = false, deadline: Date
  ) {
    self.step = step
    self.attempts = attempts
    self.cancelReason = cancelReason
    self.paymentID = paymentID
    self.afterPayment = afterPayment
    self.deadline = deadline
  }

  /// The compensation of a paid order that was just cancelled (``OrderLifecycle``): the
  /// payment is refunded, then the stock it bought goes back.
  public static func cancelling(paymentID: String?, deadline: Date) -> CheckoutSaga {
    CheckoutSaga(
      step: .refund, cancelReason: .userCancelled, paymentID: paymentID, afterPayment: true, deadline: deadline)
  }

  /// The customer or an admin cancelled the order while the saga runs: the reserve or the
  /// commit gives up and compensates, whatever was done (refund → restock, which gives back
  /// stock held or already sold → `user_cancelled`). Nil when the saga is compensating or
  /// finished, and ends as it would have; nil at the charge too, whose answer (a capture that
  /// may still be under way) must be known before anything can be refunded: the cancel is
  /// carried out at the commit.
  public mutating func cancel() -> Transition? {
    guard cancelReason == nil, step == .reserve || step == .commit else { return nil }
    return compensate(from: .refund, because: .userCancelled)
  }

  /// How the order ends.
  public enum Ending: Sendable, Equatable {
    case paid
    case cancelled(CancelReason)
  }

  /// Facts to record with the transition, for other services.
  public enum Event: Sendable, Equatable {
    case paymentSucceeded(paymentID: String)
    case paymentFailed(paymentID: String?, code: String)
  }

  /// What one outcome changed.
  public struct Transition: Sendable, Equatable {
    /// Set when the saga is finished.
    public var ending: Ending?
    /// Set when the same step is to run again, after this long at most.
    public var retryAfter: Duration?
    public var events: [Event] = []
    /// What the customer now sees of the payment, when that changed: `captured`, `failed`,
    /// `refunded`.
    public var paymentStatus: String?
  }

  public enum Failure: Error, Equatable {
    /// The outcome cannot come from the step: a bug, never retried.
    case unexpected(SagaStep, SagaOutcome)
  }

  /// Moves the saga on after its current step came to `outcome` at `now`.
  public mutating func apply(_ outcome: SagaOutcome, now: Date) throws(Failure) -> Transition {
    switch (step, outcome) {
    case (.reserve, .reserved):
      return advance(to: .charge)
    case (.reserve, .outOfStock):
      return finish(.cancelled(.outOfStock))
    case (.charge, .captured(let id)):
      paymentID = id
      var transition = advance(to: .commit)
      transition.events = [.paymentSucceeded(paymentID: id)]
      transition.paymentStatus = "captured"
      return transition
    case (.charge, .declined(let id, let code)):
      paymentID = id ?? paymentID
      var transition = compensate(from: .release, because: .paymentFailed)
      transition.events = [.paymentFailed(paymentID: id, code: code)]
      transition.paymentStatus = "failed"
      return transition
    case (.commit, .committed):
      return finish(.paid)
    case (.commit, .reservationExpired):
      return compensate(from: .refund, because: .reservationExpired)
    case (.refund, .refunded):
      // A cancelled order's stock may be sold already; a failed checkout's is only held.
      var transition = advance(to: cancelReason == .userCancelled ? .restock : .release)
      transition.paymentStatus = paymentID == nil ? nil : "refunded"
      return transition
    case (.release, .released):
      // Release is reached only by compensating, which names the reason.
      return finish(.cancelled(cancelReason ?? .reservationExpired))
    case (.restock, .restocked) where afterPayment:
      // The cancel itself ended the order; this only ends the compensation.
      _ = advance(to: .finished)
      return Transition()
    case (.restock, .restocked):
      return finish(.cancelled(.userCancelled))
    case (.reserve, .unavailable) where now >= deadline:
      return compensate(from: .release, because: .reservationExpired)
    case (.charge, .unavailable) where now >= deadline:
      return compensate(from: .refund, because: .reservationExpired)
    case (.reserve, .unavailable), (.charge, .unavailable), (.commit, .unavailable), (.refund, .unavailable),
      (.release, .unavailable), (.restock, .unavailable):
      attempts += 1
      // Capped before the policy multiplies, so that a step failing for hours cannot overflow it.
      return Transition(retryAfter: Self.retryPolicy.backoffCeiling(forRetry: min(attempts, 16)))
    default:
      throw .unexpected(step, outcome)
    }
  }

  private mutating func advance(to next: SagaStep) -> Transition {
    step = next
    attempts = 0
    return Transition()
  }

  private mutating func compensate(from next: SagaStep, because reason: CancelReason) -> Transition {
    cancelReason = reason
    return advance(to: next)
  }

  private mutating func finish(_ ending: Ending) -> Transition {
    if case .cancelled(let reason) = ending { cancelReason = reason }
    step = .finished
    attempts = 0
    return Transition(ending: ending)
  }
}
