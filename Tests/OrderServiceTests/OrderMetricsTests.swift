import MetricsTestKit
import Testing

@testable import OrderService

@Suite struct OrderMetricsTests {
  @Test func eachStatusReachedIsCountedUnderItsName() throws {
    let metrics = TestMetrics()
    let counters = OrderMetrics(factory: metrics)
    counters.reached(.pending)
    counters.reached(.pending)
    counters.reached(.paid)
    #expect(try metrics.expectCounter("order_status_changes_total", [("status", "pending")]).totalValue == 2)
    #expect(try metrics.expectCounter("order_status_changes_total", [("status", "paid")]).totalValue == 1)
  }

  @Test func paymentsAreCountedByOutcomeAndTheProvidersReason() throws {
    let metrics = TestMetrics()
    let counters = OrderMetrics(factory: metrics)
    counters.learned(.paymentSucceeded(paymentID: "pay_1"))
    counters.learned(.paymentFailed(paymentID: "pay_2", code: "card_declined"))
    counters.learned(.paymentFailed(paymentID: nil, code: "card_declined"))
    #expect(
      try metrics.expectCounter("payments_total", [("outcome", "succeeded"), ("reason", "approved")]).totalValue == 1)
    #expect(
      try metrics.expectCounter("payments_total", [("outcome", "failed"), ("reason", "card_declined")]).totalValue
        == 2)
  }
}
