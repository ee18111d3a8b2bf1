import Foundation
import ShopContracts
import ShopRPC

/// An order request, checked: what is ordered, where it goes, what pays. Nothing in it is
/// trusted for prices, totals, status or owner; those are the service's.
public struct CheckoutRequest: Sendable {
  public enum Shipping: Sendable, Equatable {
    /// One of the customer's saved addresses.
    case saved(UUID)
    case given(PostalAddress)
  }

  /// The lines asked for, or nil to order the cart.
  public var lines: [(productID: UUID, quantity: Int64)]?
  public var shipping: Shipping
  public var card: PaymentCard

  public static let maximumLines = 100
  public static let maximumQuantity: Int64 = 10_000

  /// Checks every part; all violations are reported at once.
  public init(
    lines rawLines: [(productID: String, quantity: Int64)]?, addressID: String?, address: PostalAddress?,
    card rawCard: (number: String, expMonth: Int, expYear: Int, cvc: String), now: Date = Date()
  ) throws(OrderError) {
    var violations: [OrderError.FieldViolation] = []
    var lines: [(UUID, Int64)]?
    if let rawLines {
      lines = []
      if rawLines.isEmpty || rawLines.count > Self.maximumLines {
        violations.append(.init(field: "items", reason: "must have 1 to \(Self.maximumLines) lines"))
      }
      var seen: Set<UUID> = []
      for (index, line) in rawLines.enumerated() {
        guard let id = UUID(uuidString: line.productID) else {
          violations.append(.init(field: "items[\(index)].product_id", reason: "is not a product id"))
          continue
        }
        if !seen.insert(id).inserted {
          violations.append(.init(field: "items[\(index)].product_id", reason: "appears twice"))
        }
        if !(1...Self.maximumQuantity).contains(line.quantity) {
          violations.append(
            .init(field: "items[\(index)].quantity", reason: "must be between 1 and \(Self.maximumQuantity)"))
        }
        lines?.append((id, line.quantity))
      }
    }
    var shipping: Shipping?
    switch (addressID, address) {
    case (let id?, nil):
      if let uuid = UUID(uuidString: id) {
        shipping = .saved(uuid)
      } else {
        violations.append(.init(field: "shipping_address_id", reason: "is not an address id"))
      }
    case (nil, let address?):
      let found = address.violations
      violations += found.map { .init(field: "shipping_address.\($0.field)", reason: $0.reason) }
      if found.isEmpty { shipping = .given(address.normalized) }
    default:
      violations.append(
        .init(field: "shipping_address", reason: "give exactly one of shipping_address_id and shipping_address"))
    }
    var card: PaymentCard?
    do {
      card = try PaymentCard(
        number: rawCard.number, expiryMonth: rawCard.expMonth, expiryYear: rawCard.expYear, cvc: rawCard.cvc,
        now: now)
    } catch {
      violations.append(
        .init(field: "payment.\(error.field == "number" ? "card_number" : error.field)", reason: error.reason))
    }
    guard violations.isEmpty, let shipping, let card else { throw .validationFailed(violations) }
    self.lines = lines
    self.shipping = shipping
    self.card = card
  }

  /// The order's lines at the products' current names and prices, and their total. Every
  /// line is in one currency.
  public static func price(
    _ lines: [(productID: UUID, quantity: Int64)], products: [UUID: ProductInfo]
  ) throws(OrderError) -> (lines: [OrderLine], total: Money) {
    var priced: [OrderLine] = []
    for (productID, quantity) in lines {
      guard let product = products[productID] else { throw .notFound("product \(productID.lowercased)") }
      priced.append(OrderLine(productID: productID, name: product.name, quantity: quantity, unitPrice: product.price))
    }
    guard let currency = priced.first?.unitPrice.currency else { throw .invalid("items", "must not be empty") }
    guard priced.allSatisfy({ $0.unitPrice.currency == currency }) else {
      throw .invalid("items", "must all be priced in one currency")
    }
    let total = priced.reduce(Int64(0)) { $0 + $1.unitPrice.amount * $1.quantity }
    return (priced, Money(amount: total, currency: currency))
  }
}
