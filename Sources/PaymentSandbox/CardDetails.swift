import Foundation
import ShopContracts

/// A card as a payment request carries it, checked (``PaymentCard``). Only `summary` outlives
/// the request.
public struct CardDetails: Sendable {
  public let card: PaymentCard
  public var number: CardNumber { card.number }

  public init(number: String, expiryMonth: Int, expiryYear: Int, cvc: String, now: Date = Date()) throws(PaymentError) {
    do {
      card = try PaymentCard(number: number, expiryMonth: expiryMonth, expiryYear: expiryYear, cvc: cvc, now: now)
    } catch {
      throw .invalid(field: "card.\(error.field)", reason: error.reason)
    }
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
