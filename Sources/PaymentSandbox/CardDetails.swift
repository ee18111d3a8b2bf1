import Foundation
import ShopContracts

/// A card as a payment request carries it, checked: a valid number, an expiry that has not
/// passed, and a CVC of 3 digits (4 for American Express). Only `summary` outlives the request.
public struct CardDetails: Sendable {
  public let number: CardNumber
  public let expiryMonth: Int
  public let expiryYear: Int

  public init(number: String, expiryMonth: Int, expiryYear: Int, cvc: String, now: Date = Date()) throws(PaymentError) {
    guard let card = CardNumber(number) else { throw .invalid(field: "card.number", reason: "is not a card number") }
    guard (1...12).contains(expiryMonth) else { throw .invalid(field: "card.exp_month", reason: "must be 1 to 12") }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let today = calendar.dateComponents([.year, .month], from: now)
    guard expiryYear <= 9999 else { throw .invalid(field: "card.exp_year", reason: "must be a year of four digits") }
    guard (expiryYear, expiryMonth) >= (today.year!, today.month!) else {
      throw .invalid(field: "card.exp_year", reason: "the card has expired")
    }
    let digits = card.brand == .amex ? 4 : 3
    guard cvc.count == digits, cvc.unicodeScalars.allSatisfy(\.isASCIIDigit) else {
      throw .invalid(field: "card.cvc", reason: "must be \(digits) digits")
    }
    self.number = card
    self.expiryMonth = expiryMonth
    self.expiryYear = expiryYear
  }

  /// What is kept of the card: brand, last four, and a fingerprint that tells two payments
  /// with one card apart from two cards without holding the number (a keyed digest, so that
  /// the 10^15 possible numbers cannot be tried against it without the key).
  public func summary(fingerprintKey: Data) -> CardSummary {
    CardSummary(
      brand: number.brand.rawValue, lastFour: number.lastFour,
      fingerprint: CardSummary.fingerprint(of: number, key: fingerprintKey))
  }
}
