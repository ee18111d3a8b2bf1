/// `payment.failed`: an order's payment was declined or could not be taken.
public struct PaymentFailed: EventContract {
  public static let type = "payment.failed"
  public static let schemaVersion = 1

  public var orderID: String
  public var userID: String
  public var paymentID: String?
  /// The provider's decline code (`card_declined`, `insufficient_funds`, …).
  public var reason: String

  public init(orderID: String, userID: String, paymentID: String?, reason: String) {
    self.orderID = orderID
    self.userID = userID
    self.paymentID = paymentID
    self.reason = reason
  }

  enum CodingKeys: String, CodingKey {
    case orderID = "order_id"
    case userID = "user_id"
    case paymentID = "payment_id"
    case reason
  }
}
