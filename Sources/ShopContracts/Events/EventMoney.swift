/// An amount in minor units with its ISO 4217 currency, as API.md writes money.
public struct EventMoney: Codable, Sendable, Equatable {
  public var amount: Int64
  public var currency: String

  public init(amount: Int64, currency: String) {
    self.amount = amount
    self.currency = currency
  }
}
