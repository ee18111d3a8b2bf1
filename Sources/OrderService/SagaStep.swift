/// The steps of the checkout saga (DESIGN.md §5), forward and compensating.
public enum SagaStep: String, Sendable, Codable, CaseIterable {
  /// Hold the stock of every line at the product service.
  case reserve
  /// Authorize and capture the total at the payment provider.
  case charge
  /// Turn the held stock into a sale.
  case commit
  /// Compensation: give back whatever the provider captured for the order.
  case refund
  /// Compensation: give back the held stock.
  case release
  /// Compensation of a cancelled order: give back its stock, held or sold.
  case restock
  /// Nothing left to do: the order is paid or cancelled.
  case finished
}

/// What running one step came to.
public enum SagaOutcome: Sendable, Equatable {
  case reserved
  case outOfStock
  case captured(paymentID: String)
  case declined(paymentID: String?, code: String)
  case committed
  case reservationExpired
  case refunded
  case released
  case restocked
  /// The service or provider could not be reached or failed; the step may or may not have
  /// taken effect, and is safe to run again.
  case unavailable(String)
}
