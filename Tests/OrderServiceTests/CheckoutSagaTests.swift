import Foundation
import ShopResilience
import Testing

@testable import OrderService

/// Every step × every outcome: where the saga goes, how the order ends, what it records.
@Suite struct CheckoutSagaTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static let later = now.addingTimeInterval(900)
  static let outcomes: [SagaOutcome] = [
    .reserved, .outOfStock, .captured(paymentID: "p1"), .declined(paymentID: "p2", code: "card_declined"),
    .committed, .reservationExpired, .refunded, .released, .restocked, .unavailable("down"),
  ]

  static func saga(at step: SagaStep, reason: CancelReason? = nil, payment: String? = nil) -> CheckoutSaga {
    CheckoutSaga(step: step, cancelReason: reason, paymentID: payment, deadline: later)
  }

  /// The answer of each step to each outcome before the deadline: the next step and how the
  /// order ends, or nil when the outcome cannot come from the step.
  static func expected(_ step: SagaStep, _ outcome: SagaOutcome) -> (SagaStep, CheckoutSaga.Ending?)? {
    switch (step, outcome) {
    case (.reserve, .reserved): (.charge, nil)
    case (.reserve, .outOfStock): (.finished, .cancelled(.outOfStock))
    case (.charge, .captured): (.commit, nil)
    case (.charge, .declined): (.release, nil)
    case (.commit, .committed): (.finished, .paid)
    case (.commit, .reservationExpired): (.refund, nil)
    case (.refund, .refunded): (.release, nil)
    case (.release, .released): (.finished, .cancelled(.paymentFailed))
    case (.restock, .restocked): (.finished, .cancelled(.userCancelled))
    case (let step, .unavailable) where step != .finished: (step, nil)
    default: nil
    }
  }

  @Test(arguments: SagaStep.allCases)
  func everyOutcomeOfEveryStep(step: SagaStep) throws {
    for outcome in Self.outcomes {
      var saga = Self.saga(at: step, reason: step == .release ? .paymentFailed : nil)
      let expected = Self.expected(step, outcome)
      do {
        let transition = try saga.apply(outcome, now: Self.now)
        let (next, ending) = try #require(expected, "\(step) accepted \(outcome)")
        #expect(saga.step == next, "\(step) + \(outcome)")
        #expect(transition.ending == ending, "\(step) + \(outcome)")
      } catch {
        #expect(expected == nil, "\(step) refused \(outcome)")
        #expect((error as? CheckoutSaga.Failure) == .unexpected(step, outcome))
      }
    }
  }

  @Test func theHappyPathRecordsThePaymentAndEndsPaid() throws {
    var saga = Self.saga(at: .reserve)
    #expect(try saga.apply(.reserved, now: Self.now) == .init())
    let charged = try saga.apply(.captured(paymentID: "pay_1"), now: Self.now)
    #expect(charged.events == [.paymentSucceeded(paymentID: "pay_1")] && charged.paymentStatus == "captured")
    #expect(saga.paymentID == "pay_1")
    #expect(try saga.apply(.committed, now: Self.now).ending == .paid)
    #expect(saga.cancelReason == nil && saga.step == .finished)
  }

  @Test func aDeclineReleasesTheStockAndEndsPaymentFailed() throws {
    var saga = Self.saga(at: .charge)
    let declined = try saga.apply(.declined(paymentID: "pay_2", code: "insufficient_funds"), now: Self.now)
    #expect(declined.events == [.paymentFailed(paymentID: "pay_2", code: "insufficient_funds")])
    #expect(declined.paymentStatus == "failed" && saga.step == .release)
    #expect(try saga.apply(.released, now: Self.now).ending == .cancelled(.paymentFailed))
  }

  @Test func anExpiredReservationRefundsThenReleases() throws {
    var saga = Self.saga(at: .commit, payment: "pay_3")
    #expect(try saga.apply(.reservationExpired, now: Self.now).ending == nil)
    #expect(saga.step == .refund && saga.cancelReason == .reservationExpired)
    #expect(try saga.apply(.refunded, now: Self.now).paymentStatus == "refunded")
    #expect(try saga.apply(.released, now: Self.now).ending == .cancelled(.reservationExpired))
  }

  @Test func aCancelledPaidOrderIsRefundedThenRestockedAndEndsAsTheCancelLeftIt() throws {
    var saga = CheckoutSaga.cancelling(paymentID: "pay_4", deadline: Self.now)
    #expect(saga.step == .refund && saga.cancelReason == .userCancelled)
    // Not past the deadline: a cancel's compensation has none, and is retried until it is done.
    #expect(try saga.apply(.unavailable("down"), now: Self.later).retryAfter != nil && saga.step == .refund)
    let refunded = try saga.apply(.refunded, now: Self.now)
    #expect(refunded.paymentStatus == "refunded" && saga.step == .restock)
    let restocked = try saga.apply(.restocked, now: Self.now)
    #expect(restocked == .init() && saga.step == .finished && saga.cancelReason == .userCancelled)
  }

  @Test(arguments: SagaStep.allCases)
  func aCancelWhileTheSagaRunsCompensatesTheReserveOrTheCommit(step: SagaStep) throws {
    var saga = Self.saga(at: step, payment: "pay_5")
    let transition = saga.cancel()
    guard step == .reserve || step == .commit else {
      // The charge runs to its answer first; compensation and the end go on as they were.
      #expect(transition == nil && saga.step == step && saga.cancelReason == nil)
      return
    }
    #expect(transition == .init() && saga.step == .refund && saga.cancelReason == .userCancelled)
    // Whatever was done is undone: the payment refunded, the stock back whether held or sold
    // (a commit that timed out may have gone through).
    #expect(try saga.apply(.refunded, now: Self.now).paymentStatus == "refunded" && saga.step == .restock)
    #expect(try saga.apply(.restocked, now: Self.now).ending == .cancelled(.userCancelled))
  }

  @Test func aCancelDuringAChargeWhoseAnswerIsUnknownWaitsForIt() throws {
    var saga = Self.saga(at: .charge)
    _ = try saga.apply(.unavailable("timeout"), now: Self.now)
    #expect(saga.cancel() == nil && saga.step == .charge)
    _ = try saga.apply(.captured(paymentID: "pay_6"), now: Self.now)
    #expect(saga.cancel() != nil && saga.step == .refund && saga.paymentID == "pay_6")
  }

  @Test func aCancelOfASagaAlreadyCompensatingChangesNothing() throws {
    var saga = Self.saga(at: .charge)
    _ = try saga.apply(.declined(paymentID: "p", code: "card_declined"), now: Self.now)
    #expect(saga.cancel() == nil && saga.cancelReason == .paymentFailed)
    #expect(try saga.apply(.released, now: Self.now).ending == .cancelled(.paymentFailed))
  }

  @Test func aCancelledOrderWithoutAPaymentIsNotMarkedRefunded() throws {
    var saga = CheckoutSaga.cancelling(paymentID: nil, deadline: Self.now)
    #expect(try saga.apply(.refunded, now: Self.now).paymentStatus == nil)
  }

  @Test func outOfStockHoldsNothingToGiveBack() throws {
    var saga = Self.saga(at: .reserve)
    #expect(try saga.apply(.outOfStock, now: Self.now).ending == .cancelled(.outOfStock))
  }

  @Test func anUnavailableStepIsRetriedWithGrowingBackoff() throws {
    var saga = Self.saga(at: .charge)
    let first = try saga.apply(.unavailable("500"), now: Self.now)
    let second = try saga.apply(.unavailable("500"), now: Self.now)
    #expect(saga.step == .charge && saga.attempts == 2)
    #expect(first.retryAfter! < second.retryAfter!)
    for _ in 0..<20 { _ = try saga.apply(.unavailable("500"), now: Self.now) }
    #expect(try saga.apply(.unavailable("500"), now: Self.now).retryAfter == CheckoutSaga.retryPolicy.maxBackoff)
    #expect(try saga.apply(.captured(paymentID: "p"), now: Self.now).retryAfter == nil && saga.attempts == 0)
  }

  @Test func aStepFailingForHoursWaitsTheLongestBackoffAndNoMore() throws {
    var saga = CheckoutSaga(step: .commit, attempts: 10_000, deadline: Self.later)
    #expect(try saga.apply(.unavailable("down"), now: Self.now).retryAfter == CheckoutSaga.retryPolicy.maxBackoff)
  }

  @Test func aForwardStepStillFailingAtTheDeadlineCompensates() throws {
    var reserving = Self.saga(at: .reserve)
    _ = try reserving.apply(.unavailable("down"), now: Self.later)
    #expect(reserving.step == .release && reserving.cancelReason == .reservationExpired)

    // Whether the charge went through is not known: whatever was captured is given back.
    var charging = Self.saga(at: .charge)
    _ = try charging.apply(.unavailable("timeout"), now: Self.later)
    #expect(charging.step == .refund && charging.cancelReason == .reservationExpired)

    // Compensation and the commit are retried for as long as it takes.
    for step in [SagaStep.commit, .refund, .release, .restock] {
      var saga = Self.saga(at: step, reason: .reservationExpired)
      _ = try saga.apply(.unavailable("down"), now: Self.later.addingTimeInterval(3600))
      #expect(saga.step == step)
    }
  }
}
