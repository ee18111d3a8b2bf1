/// `payment.succeeded`: an order's payment was captured.
public struct PaymentSucceeded: EventContract {
  public static let type = "payment.succeeded"
  public static let schemaVersion = 1

  public var orderID: String
  public var userID: String
  public var paymentID: String
  public var amount: EventMoney

  public init(orderID: String, userID: String, paymentID: String, amount: EventMoney) {
    self.orderID = orderID
    self.userID = userID
    self.paymentID = paymentID
    self.amount = amount
  }

  enum CodingKeys: String, CodingKey {
    case orderID = "order_id"
    case userID = "user_id"
    case paymentID = "payment_id"
    case amount
  }
}
