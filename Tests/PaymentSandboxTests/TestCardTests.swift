import Foundation
import PaymentSandbox
import ShopContracts
import Testing

@Suite struct TestCardTests {
  private func outcome(_ number: String) -> TestCard { TestCard(CardNumber(number)!) }

  /// API.md's table, card by card.
  @Test func eachTestCardDoesWhatTheTableSays() {
    #expect(outcome("4242424242424242") == .approves)
    #expect(outcome("4000000000000002") == .declines(code: "card_declined"))
    #expect(outcome("4000000000009995") == .declines(code: "insufficient_funds"))
    #expect(outcome("4000000000000119") == .failsFirst(times: 2))
    #expect(outcome("4000000000003220") == .answersAfter(.seconds(10)))
    #expect(outcome("5555555555554444") == .approves)
  }
}

@Suite struct CardDetailsTests {
  // 23 March 2027, UTC.
  private let now = Date(timeIntervalSince1970: 1_805_760_000)

  @Test func aValidCardIsKeptAsBrandLastFourAndFingerprintOnly() throws {
    let card = try CardDetails(number: "4242 4242 4242 4242", expiryMonth: 3, expiryYear: 2027, cvc: "123", now: now)
    let key = Data("fingerprint key".utf8)
    let summary = card.summary(fingerprintKey: key)
    #expect(summary.brand == "visa" && summary.lastFour == "4242")
    #expect(!summary.fingerprint.contains("4242") && summary.fingerprint.count == 16)
    // Any future expiry is accepted, however far.
    let again = try CardDetails(number: "4242424242424242", expiryMonth: 12, expiryYear: 2099, cvc: "999", now: now)
    #expect(again.summary(fingerprintKey: key).fingerprint == summary.fingerprint, "one card, one fingerprint")
    #expect(again.summary(fingerprintKey: Data("another".utf8)).fingerprint != summary.fingerprint)
  }

  @Test func anExpiredCardOrABadCVCIsRefused() {
    #expect(throws: PaymentError.invalid(field: "card.exp_year", reason: "the card has expired")) {
      try CardDetails(number: "4242424242424242", expiryMonth: 2, expiryYear: 2027, cvc: "123", now: now)
    }
    #expect(throws: PaymentError.self) {
      try CardDetails(number: "4242424242424242", expiryMonth: 13, expiryYear: 2027, cvc: "123", now: now)
    }
    #expect(throws: PaymentError.self) {
      try CardDetails(number: "4242424242424242", expiryMonth: 1, expiryYear: 10_000, cvc: "123", now: now)
    }
    #expect(throws: PaymentError.invalid(field: "card.cvc", reason: "must be 3 digits")) {
      try CardDetails(number: "4242424242424242", expiryMonth: 3, expiryYear: 2027, cvc: "12a", now: now)
    }
    #expect(throws: PaymentError.invalid(field: "card.cvc", reason: "must be 4 digits")) {
      try CardDetails(number: "378282246310005", expiryMonth: 3, expiryYear: 2027, cvc: "123", now: now)
    }
    #expect(throws: PaymentError.invalid(field: "card.number", reason: "is not a card number")) {
      try CardDetails(number: "4242424242424241", expiryMonth: 3, expiryYear: 2027, cvc: "123", now: now)
    }
  }
}
