import Foundation
import PaymentSandbox
import Testing

@Suite struct PaymentTests {
  private let card = CardSummary(brand: "visa", lastFour: "4242", fingerprint: "f")
  private let now = Date(timeIntervalSince1970: 1_800_000_000)

  private func payment(capture: Bool = false, decline: String? = nil) throws -> Payment {
    try Payment(
      reference: "order-1", amount: 5_000, currency: "EUR", card: card, declineCode: decline, capture: capture, at: now)
  }

  @Test func anApprovedPaymentIsAuthorizedOrCapturedAtOnce() throws {
    #expect(try payment().status == .authorized)
    let captured = try payment(capture: true)
    #expect(captured.status == .captured && captured.capturedAmount == 5_000)
  }

  @Test func aDeclinedPaymentFailsWithItsCodeAndGoesNowhere() throws {
    let failed = try payment(decline: "card_declined")
    #expect(failed.status == .failed && failed.failureCode == "card_declined")
    #expect(throws: PaymentError.invalidTransition(from: .failed, action: "capture")) {
      try failed.capturing(nil, at: now)
    }
    #expect(throws: PaymentError.invalidTransition(from: .failed, action: "void")) { try failed.voiding(at: now) }
    #expect(throws: PaymentError.invalidTransition(from: .failed, action: "refund")) {
      try failed.refunding(nil, at: now)
    }
  }

  @Test func anAuthorizationIsCapturedInFullOrInPartOrVoided() throws {
    let authorized = try payment()
    #expect(try authorized.capturing(nil, at: now).capturedAmount == 5_000)
    #expect(try authorized.capturing(1_200, at: now).capturedAmount == 1_200)
    #expect(throws: PaymentError.amountTooLarge(available: 5_000)) { try authorized.capturing(5_001, at: now) }
    let voided = try authorized.voiding(at: now.addingTimeInterval(5))
    #expect(voided.status == .voided && voided.updatedAt == now.addingTimeInterval(5))
    #expect(throws: PaymentError.invalidTransition(from: .voided, action: "capture")) {
      try voided.capturing(nil, at: now)
    }
  }

  @Test func aCaptureIsRefundedInPartsUntilNothingIsLeft() throws {
    let captured = try payment(capture: true)
    #expect(throws: PaymentError.invalidTransition(from: .captured, action: "void")) { try captured.voiding(at: now) }
    let part = try captured.refunding(2_000, at: now)
    #expect(part.status == .captured && part.refundedAmount == 2_000)
    #expect(throws: PaymentError.amountTooLarge(available: 3_000)) { try part.refunding(3_001, at: now) }
    let rest = try part.refunding(nil, at: now)
    #expect(rest.status == .refunded && rest.refundedAmount == 5_000)
    #expect(throws: PaymentError.invalidTransition(from: .refunded, action: "refund")) {
      try rest.refunding(1, at: now)
    }
  }

  @Test func anAuthorizationCannotBeRefunded() throws {
    #expect(throws: PaymentError.invalidTransition(from: .authorized, action: "refund")) {
      try payment().refunding(nil, at: now)
    }
  }

  @Test func amountsCurrenciesAndReferencesAreChecked() {
    for (amount, currency, reference) in [
      (0, "EUR", "r"), (-5, "EUR", "r"), (1, "eur", "r"), (1, "EURO", "r"), (1, "EUR", ""),
    ] {
      #expect(throws: PaymentError.self) {
        try Payment(
          reference: reference, amount: Int64(amount), currency: currency, card: card, declineCode: nil, capture: true,
          at: now)
      }
    }
  }
}
