import Foundation

/// What a cart may hold, and how a cart reads: the products' names and prices now.
public enum CartRules {
  /// As many lines as one order may have.
  public static let maximumLines = CheckoutRequest.maximumLines
  public static let maximumQuantity = CheckoutRequest.maximumQuantity

  /// Checks setting a line to `quantity` (0 removes it) in a cart of `lines` for a product
  /// with `available` in stock.
  public static func check(
    quantity: Int64, of productID: UUID, available: Int64, in lines: [UUID: Int64]
  ) throws(OrderError) {
    guard (0...maximumQuantity).contains(quantity) else {
      throw .invalid("quantity", "must be between 0 and \(maximumQuantity)")
    }
    guard quantity > 0 else { return }
    if lines[productID] == nil, lines.count >= maximumLines {
      throw .invalid("product_id", "a cart holds at most \(maximumLines) products")
    }
    guard quantity <= available else { throw .insufficientStock(productID: productID, available: available) }
  }

  /// The cart's lines priced, by name; lines of products that are gone are left out. The
  /// total is in the currency of the lines (USD for an empty cart).
  public static func view(of lines: [UUID: Int64], products: [UUID: ProductInfo]) -> CartView {
    let items = lines.compactMap { id, quantity -> CartView.Line? in
      guard let product = products[id] else { return nil }
      return CartView.Line(
        productID: id, name: product.name, quantity: quantity, unitPrice: product.price,
        lineTotal: Money(amount: product.price.amount * quantity, currency: product.price.currency))
    }.sorted { ($0.name, $0.productID.uuidString) < ($1.name, $1.productID.uuidString) }
    let currency = items.first?.unitPrice.currency ?? "USD"
    let total = items.filter { $0.unitPrice.currency == currency }.reduce(Int64(0)) { $0 + $1.lineTotal.amount }
    return CartView(items: items, total: Money(amount: total, currency: currency))
  }
}

/// A cart as the customer sees it.
public struct CartView: Sendable, Equatable {
  public struct Line: Sendable, Equatable {
    public var productID: UUID
    public var name: String
    public var quantity: Int64
    public var unitPrice: Money
    public var lineTotal: Money
  }

  public var items: [Line]
  public var total: Money
}
