import CoreMetrics

/// The order service's business counters, counted once what they count is written:
/// `order_status_changes_total{status}` for every order that reaches a status (placed as
/// `pending`, then `paid`, `cancelled`, `shipped`…), and `payments_total{outcome, reason}`
/// for every payment outcome a saga learns (`succeeded` and `approved`, or `failed` with the provider's
/// code: `card_declined`, `insufficient_funds`…).
struct OrderMetrics: Sendable {
  let factory: any MetricsFactory

  init(factory: any MetricsFactory = MetricsSystem.factory) {
    self.factory = factory
  }

  func reached(_ status: OrderStatus) {
    Counter(label: "order_status_changes_total", dimensions: [("status", status.rawValue)], factory: factory)
      .increment()
  }

  func learned(_ event: CheckoutSaga.Event) {
    let dimensions: [(String, String)] =
      switch event {
      case .paymentSucceeded: [("outcome", "succeeded"), ("reason", "approved")]
      case .paymentFailed(_, let code): [("outcome", "failed"), ("reason", code)]
      }
    Counter(label: "payments_total", dimensions: dimensions, factory: factory).increment()
  }
}
