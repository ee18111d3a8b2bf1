import ShopContracts

/// One notification an event asks for, before the recipient's preferences are applied.
public struct PlannedNotification: Sendable, Hashable {
  public var userID: String
  public var channel: NotificationChannel
  public var template: NotificationTemplate
  /// The order it is about, for the order templates (and the rule that an older status is
  /// not notified after a newer one).
  public var orderID: String?
  /// The template's variables (`order_id`, `carrier`, `tracking_number`, `reason`,
  /// `product_name`, `name`, …).
  public var values: [String: String]
}

/// The events the notification service reads, decoded.
public enum NotificationEvent: Sendable {
  case registered(UserRegistered)
  case statusChanged(OrderStatusChanged)
  case paymentFailed(PaymentFailed)
  case backInStock(ProductBackInStock)
}

/// What each event sends (API.md, "What is sent"): a welcome email on registration; on
/// `paid`, `shipped` (with tracking), `delivered` and `cancelled` (with the reason) an email
/// and a push; on a failed payment an email; an email and a push to each customer waiting
/// for a product back in stock. Nothing else is sent.
public enum NotificationPlan {
  public static func notifications(for event: NotificationEvent) -> [PlannedNotification] {
    switch event {
    case .registered(let user):
      return [
        PlannedNotification(
          userID: user.userID, channel: .email, template: .welcome, orderID: nil,
          values: ["name": user.name, "email": user.email])
      ]
    case .statusChanged(let change):
      guard let template = template(forStatus: change.to) else { return [] }
      var values = ["order_id": change.orderID, "status": change.to]
      if let shipment = change.shipment {
        values["carrier"] = shipment.carrier
        values["tracking_number"] = shipment.trackingNumber
      }
      if let reason = change.cancelReason { values["reason"] = reason }
      return [NotificationChannel.email, .push].map {
        PlannedNotification(
          userID: change.userID, channel: $0, template: template, orderID: change.orderID, values: values)
      }
    case .paymentFailed(let failure):
      return [
        PlannedNotification(
          userID: failure.userID, channel: .email, template: .paymentFailed, orderID: failure.orderID,
          values: ["order_id": failure.orderID, "reason": failure.reason])
      ]
    case .backInStock(let product):
      // A customer on the list twice is told once.
      var seen: Set<String> = []
      return product.waitlistUserIDs.filter { seen.insert($0).inserted }.flatMap { userID in
        [NotificationChannel.email, .push].map {
          PlannedNotification(
            userID: userID, channel: $0, template: .backInStock, orderID: nil,
            values: ["product_id": product.productID, "product_name": product.name, "sku": product.sku])
        }
      }
    }
  }

  /// The template of an order's new status; none for the statuses nobody is told about.
  static func template(forStatus status: String) -> NotificationTemplate? {
    switch status {
    case "paid": .orderConfirmed
    case "shipped": .orderShipped
    case "delivered": .orderDelivered
    case "cancelled": .orderCancelled
    default: nil
    }
  }

  /// The planned notifications each recipient's preferences let through (a recipient
  /// without an entry has the defaults).
  public static func allowed(
    _ planned: [PlannedNotification], preferences: [String: NotificationPreferences]
  ) -> [PlannedNotification] {
    planned.filter {
      (preferences[$0.userID.lowercased()] ?? NotificationPreferences()).allows($0.template, on: $0.channel)
    }
  }
}
