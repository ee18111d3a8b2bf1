/// Why the sandbox refuses a request; each has the stable code of its problem answer.
public enum PaymentError: Error, Equatable, Sendable {
  case invalid(field: String, reason: String)
  case notFound
  /// The payment's state does not allow it: capturing a voided payment, refunding an
  /// authorization.
  case invalidTransition(from: Payment.Status, action: String)
  /// More than is left to capture or refund.
  case amountTooLarge(available: Int64)

  public var code: String {
    switch self {
    case .invalid: "validation_failed"
    case .notFound: "not_found"
    case .invalidTransition: "invalid_transition"
    case .amountTooLarge: "amount_too_large"
    }
  }
}
