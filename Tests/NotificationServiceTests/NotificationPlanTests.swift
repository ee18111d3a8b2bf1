import ShopContracts
import Testing

@testable import NotificationService

@Suite struct NotificationPlanTests {
  static func change(_ to: String, reason: String? = nil, shipment: OrderStatusChanged.Shipment? = nil)
    -> NotificationEvent
  {
    .statusChanged(
      OrderStatusChanged(
        orderID: "o1", userID: "u1", from: "x", to: to, cancelReason: reason, shipment: shipment, at: "t"))
  }

  @Test func registrationSendsOneWelcomeEmail() {
    let planned = NotificationPlan.notifications(
      for: .registered(
        UserRegistered(userID: "u1", email: "ada@example.com", name: "Ada", role: "customer", registeredAt: "t")))
    #expect(planned.map(\.channel) == [.email] && planned.map(\.template) == [.welcome])
    #expect(planned[0].values["email"] == "ada@example.com" && planned[0].values["name"] == "Ada")
  }

  @Test(arguments: [
    ("paid", NotificationTemplate.orderConfirmed), ("shipped", .orderShipped), ("delivered", .orderDelivered),
    ("cancelled", .orderCancelled),
  ])
  func eachToldStatusSendsAnEmailAndAPush(status: String, template: NotificationTemplate) {
    let planned = NotificationPlan.notifications(for: Self.change(status))
    #expect(planned.map(\.channel) == [.email, .push] && planned.allSatisfy { $0.template == template })
    #expect(planned.allSatisfy { $0.orderID == "o1" && $0.userID == "u1" && $0.values["order_id"] == "o1" })
  }

  @Test(arguments: ["pending", "completed", "refunded"])
  func otherStatusesSendNothing(status: String) {
    #expect(NotificationPlan.notifications(for: Self.change(status)).isEmpty)
  }

  @Test func shippingCarriesTheTrackingAndCancellingTheReason() {
    let shipped = NotificationPlan.notifications(
      for: Self.change("shipped", shipment: .init(carrier: "DHL", trackingNumber: "JD0001")))
    #expect(shipped[0].values["carrier"] == "DHL" && shipped[0].values["tracking_number"] == "JD0001")
    let cancelled = NotificationPlan.notifications(for: Self.change("cancelled", reason: "user_cancelled"))
    #expect(cancelled[0].values["reason"] == "user_cancelled")
  }

  @Test func aFailedPaymentSendsAnEmailOnly() {
    let planned = NotificationPlan.notifications(
      for: .paymentFailed(PaymentFailed(orderID: "o1", userID: "u1", paymentID: nil, reason: "card_declined")))
    #expect(planned.map(\.channel) == [.email] && planned[0].template == .paymentFailed)
    #expect(planned[0].values["reason"] == "card_declined")
  }

  @Test func backInStockTellsEachWaitingCustomerOnceByEmailAndPush() {
    let planned = NotificationPlan.notifications(
      for: .backInStock(
        ProductBackInStock(
          productID: "p1", sku: "SKU-1", name: "Kettle", available: 3, waitlistUserIDs: ["u1", "u2", "u1"])))
    #expect(
      planned.map(\.userID) == ["u1", "u1", "u2", "u2"] && planned.map(\.channel) == [.email, .push, .email, .push])
    #expect(planned.allSatisfy { $0.template == .backInStock && $0.values["product_name"] == "Kettle" })
  }

  @Test func preferencesLeaveOutWhatEachRecipientTurnedOff() {
    let planned = NotificationPlan.notifications(
      for: .backInStock(
        ProductBackInStock(productID: "p1", sku: "S", name: "K", available: 1, waitlistUserIDs: ["u1", "u2"])))
    let kept = NotificationPlan.allowed(
      planned, preferences: ["u1": NotificationPreferences(backInStock: .init(email: true, push: false))])
    #expect(kept.map { "\($0.userID) \($0.channel)" } == ["u1 email", "u2 email", "u2 push"])
  }
}
