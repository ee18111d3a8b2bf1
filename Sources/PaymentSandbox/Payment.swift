import Foundation

/// A payment at the sandbox and the transitions a provider allows it: an approved payment is
/// authorized, then captured (in one step or later) or voided; a captured one is refunded in
/// full or in parts. A declined payment is `failed` and goes nowhere. Amounts are minor units.
public struct Payment: Sendable, Equatable {
  public enum Status: String, Sendable, Codable {
    case authorized, captured, refunded, voided, failed
  }

  public let id: UUID
  /// The merchant's reference, such as an order id.
  public let reference: String
  public let amount: Int64
  public let currency: String
  public private(set) var status: Status
  public private(set) var capturedAmount: Int64 = 0
  public private(set) var refundedAmount: Int64 = 0
  public let card: CardSummary
  public let failureCode: String?
  public let createdAt: Date
  public private(set) var updatedAt: Date

  /// A payment as the card's outcome decides it: authorized (and captured at once when
  /// `capture` is set) or failed with the decline's code.
  public init(
    id: UUID = UUID(), reference: String, amount: Int64, currency: String, card: CardSummary,
    declineCode: String?, capture: Bool, at now: Date
  ) throws(PaymentError) {
    guard amount > 0, amount <= 100_000_000_000 else {
      throw .invalid(field: "amount", reason: "must be between 1 and 100000000000 minor units")
    }
    guard currency.count == 3, currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
      throw .invalid(field: "currency", reason: "must be an ISO 4217 code in capitals")
    }
    guard !reference.isEmpty, reference.count <= 200 else {
      throw .invalid(field: "reference", reason: "must be 1 to 200 characters")
    }
    self.id = id
    self.reference = reference
    self.amount = amount
    self.currency = currency
    self.card = card
    self.failureCode = declineCode
    self.createdAt = now
    self.updatedAt = now
    if declineCode != nil {
      status = .failed
    } else if capture {
      status = .captured
      capturedAmount = amount
    } else {
      status = .authorized
    }
  }

  /// A payment as it was stored.
  init(
    id: UUID, reference: String, amount: Int64, currency: String, status: Status, capturedAmount: Int64,
    refundedAmount: Int64, card: CardSummary, failureCode: String?, createdAt: Date, updatedAt: Date
  ) {
    self.id = id
    self.reference = reference
    self.amount = amount
    self.currency = currency
    self.status = status
    self.capturedAmount = capturedAmount
    self.refundedAmount = refundedAmount
    self.card = card
    self.failureCode = failureCode
    self.createdAt = createdAt
    self.updatedAt = updatedAt
  }

  /// Captures `amount` (the whole authorization when nil); what is not captured is released.
  public func capturing(_ amount: Int64?, at now: Date) throws(PaymentError) -> Payment {
    guard status == .authorized else { throw .invalidTransition(from: status, action: "capture") }
    let captured = amount ?? self.amount
    guard captured > 0 else { throw .invalid(field: "amount", reason: "must be positive") }
    guard captured <= self.amount else { throw .amountTooLarge(available: self.amount) }
    var next = self
    next.status = .captured
    next.capturedAmount = captured
    next.updatedAt = now
    return next
  }

  /// Cancels an authorization before it is captured.
  public func voiding(at now: Date) throws(PaymentError) -> Payment {
    guard status == .authorized else { throw .invalidTransition(from: status, action: "void") }
    var next = self
    next.status = .voided
    next.updatedAt = now
    return next
  }

  /// Gives back `amount` of what was captured (all that is left when nil); the payment is
  /// `refunded` once nothing is left.
  public func refunding(_ amount: Int64?, at now: Date) throws(PaymentError) -> Payment {
    guard status == .captured else { throw .invalidTransition(from: status, action: "refund") }
    let left = capturedAmount - refundedAmount
    let refund = amount ?? left
    guard refund > 0 else { throw .invalid(field: "amount", reason: "must be positive") }
    guard refund <= left else { throw .amountTooLarge(available: left) }
    var next = self
    next.refundedAmount += refund
    if next.refundedAmount == capturedAmount { next.status = .refunded }
    next.updatedAt = now
    return next
  }
}
