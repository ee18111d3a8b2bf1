/// `order.created`: an order was placed and its saga begins.
public struct OrderCreated: EventContract {
  public static let type = "order.created"
  public static let schemaVersion = 1

  public struct Line: Codable, Sendable, Equatable {
    public var productID: String
    public var quantity: Int64
    public var unitPrice: EventMoney

    public init(productID: String, quantity: Int64, unitPrice: EventMoney) {
      self.productID = productID
      self.quantity = quantity
      self.unitPrice = unitPrice
    }

    enum CodingKeys: String, CodingKey {
      case productID = "product_id"
      case quantity
      case unitPrice = "unit_price"
    }
  }

  public var orderID: String
  public var userID: String
  public var items: [Line]
  public var total: EventMoney
  /// RFC 3339.
  public var createdAt: String

  public init(orderID: String, userID: String, items: [Line], total: EventMoney, createdAt: String) {
    self.orderID = orderID
    self.userID = userID
    self.items = items
    self.total = total
    self.createdAt = createdAt
  }

  enum CodingKeys: String, CodingKey {
    case orderID = "order_id"
    case userID = "user_id"
    case items, total
    case createdAt = "created_at"
  }
}
