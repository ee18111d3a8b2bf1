import Foundation

/// A line of an order as placed: the product's name and price at that moment.
public struct OrderLine: Sendable, Equatable, Codable {
  public var productID: UUID
  public var name: String
  public var quantity: Int64
  public var unitPrice: Money

  public init(productID: UUID, name: String, quantity: Int64, unitPrice: Money) {
    self.productID = productID
    self.name = name
    self.quantity = quantity
    self.unitPrice = unitPrice
  }

  enum CodingKeys: String, CodingKey {
    case productID = "product_id"
    case name, quantity
    case unitPrice = "unit_price"
  }
}

/// An amount in minor units with its ISO 4217 currency.
public struct Money: Sendable, Equatable, Codable {
  public var amount: Int64
  public var currency: String

  public init(amount: Int64, currency: String) {
    self.amount = amount
    self.currency = currency
  }
}

/// What the order service reads of a product: its name, price and availability now.
public struct ProductInfo: Sendable, Equatable {
  public var id: UUID
  public var name: String
  public var price: Money
  public var available: Int64

  public init(id: UUID, name: String, price: Money, available: Int64) {
    self.id = id
    self.name = name
    self.price = price
    self.available = available
  }
}
