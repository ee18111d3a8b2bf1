import Foundation

/// A card as a payment request carries it, checked: a valid number, an expiry that has not
/// passed, and a CVC of 3 digits (4 for American Express). It lives as long as the request
/// that carried it; only its brand and last four digits are kept.
public struct PaymentCard: Sendable, Equatable {
  /// The part of a card that is not valid (`number`, `exp_month`, `exp_year`, `cvc`) and why.
  public struct Violation: Error, Sendable, Equatable {
    public let field: String
    public let reason: String
  }

  public let number: CardNumber
  public let expiryMonth: Int
  public let expiryYear: Int
  public let cvc: String

  public init(number: String, expiryMonth: Int, expiryYear: Int, cvc: String, now: Date = Date()) throws(Violation) {
    guard let card = CardNumber(number) else { throw Violation(field: "number", reason: "is not a card number") }
    guard (1...12).contains(expiryMonth) else { throw Violation(field: "exp_month", reason: "must be 1 to 12") }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let today = calendar.dateComponents([.year, .month], from: now)
    guard expiryYear <= 9999 else { throw Violation(field: "exp_year", reason: "must be a year of four digits") }
    guard (expiryYear, expiryMonth) >= (today.year!, today.month!) else {
      throw Violation(field: "exp_year", reason: "the card has expired")
    }
    let digits = card.brand == .amex ? 4 : 3
    guard cvc.unicodeScalars.count == digits, cvc.unicodeScalars.allSatisfy(\.isASCIIDigit) else {
      throw Violation(field: "cvc", reason: "must be \(digits) digits")
    }
    self.number = card
    self.expiryMonth = expiryMonth
    self.expiryYear = expiryYear
    self.cvc = cvc
  }
}

extension PaymentCard: CustomStringConvertible {
  /// The brand and last four only, so that printing a card cannot leak it.
  public var description: String { number.description }
}
