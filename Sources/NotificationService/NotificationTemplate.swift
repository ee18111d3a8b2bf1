/// What a notification says: the templates of API.md's "What is sent", one per notification,
/// each a folder of `Templates/` (subject, text and HTML for email; title and body for push).
public enum NotificationTemplate: String, Sendable, Hashable, CaseIterable, Codable {
  case welcome
  case orderConfirmed = "order_confirmed"
  case orderShipped = "order_shipped"
  case orderDelivered = "order_delivered"
  case orderCancelled = "order_cancelled"
  case paymentFailed = "payment_failed"
  case backInStock = "back_in_stock"

  /// The preference that decides whether it is sent; `nil` for mail about the account itself,
  /// which is always sent.
  var topic: NotificationPreferences.Topic? {
    switch self {
    case .welcome: nil
    case .orderConfirmed, .orderShipped, .orderDelivered, .orderCancelled, .paymentFailed: .orderUpdates
    case .backInStock: .backInStock
    }
  }
}

/// How a notification reaches its recipient.
public enum NotificationChannel: String, Sendable, Hashable, CaseIterable, Codable {
  case email
  case push
  case webhook
}
