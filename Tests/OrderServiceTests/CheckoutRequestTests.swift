import Foundation
import ShopContracts
import Testing

@testable import OrderService

@Suite struct CheckoutRequestTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)  // January 2027
  static let card = (number: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123")
  static let address = PostalAddress(
    line1: " 1 Main St ", line2: nil, city: "Berlin", postalCode: "10115", country: "de")
  static let product = UUID()

  static func violations(
    lines: [(productID: String, quantity: Int64)]? = [(product.uuidString, 1)], addressID: String? = nil,
    address: PostalAddress? = address, card: (number: String, expMonth: Int, expYear: Int, cvc: String) = card
  ) -> [String] {
    do {
      _ = try CheckoutRequest(lines: lines, addressID: addressID, address: address, card: card, now: now)
      return []
    } catch {
      guard case .validationFailed(let found) = error else { return ["\(error)"] }
      return found.map(\.field)
    }
  }

  @Test func aGoodRequestIsNormalized() throws {
    let request = try CheckoutRequest(
      lines: [(Self.product.uuidString, 2)], addressID: nil, address: Self.address, card: Self.card, now: Self.now)
    #expect(request.lines?.first?.quantity == 2)
    #expect(
      request.shipping
        == .given(PostalAddress(line1: "1 Main St", line2: nil, city: "Berlin", postalCode: "10115", country: "DE")))
    #expect(request.card.number.lastFour == "4242")
    let cart = try CheckoutRequest(
      lines: nil, addressID: UUID().uuidString, address: nil, card: Self.card, now: Self.now)
    #expect(cart.lines == nil)
  }

  @Test func everyBadPartIsNamed() {
    let product = Self.product.uuidString
    #expect(Self.violations(lines: []) == ["items"])
    #expect(Self.violations(lines: Array(repeating: (UUID().uuidString, 1), count: 101)).first == "items")
    #expect(Self.violations(lines: [(product, 0)]) == ["items[0].quantity"])
    #expect(Self.violations(lines: [(product, -1)]) == ["items[0].quantity"])
    #expect(Self.violations(lines: [(product, 10_001)]) == ["items[0].quantity"])
    #expect(Self.violations(lines: [("lamp", 1)]) == ["items[0].product_id"])
    #expect(Self.violations(lines: [(product, 1), (product, 2)]) == ["items[1].product_id"])
    #expect(Self.violations(addressID: UUID().uuidString) == ["shipping_address"])
    #expect(Self.violations(address: nil) == ["shipping_address"])
    #expect(Self.violations(addressID: "home", address: nil) == ["shipping_address_id"])
    #expect(
      Self.violations(address: PostalAddress(line1: " ", line2: nil, city: "B", postalCode: "1", country: "Deu"))
        == ["shipping_address.line1", "shipping_address.country"])
    #expect(Self.violations(card: ("4242424242424241", 12, 2030, "123")) == ["payment.card_number"])
    #expect(Self.violations(card: ("4242424242424242", 12, 2026, "123")) == ["payment.exp_year"])
    #expect(Self.violations(card: ("4242424242424242", 13, 2030, "123")) == ["payment.exp_month"])
    #expect(Self.violations(card: ("4242424242424242", 12, 2030, "12")) == ["payment.cvc"])
    #expect(
      Self.violations(lines: [(product, 0)], card: ("1", 1, 2030, "1")) == ["items[0].quantity", "payment.card_number"])
  }

  @Test func pricesComeFromTheCatalogAndTotalsAreComputed() throws {
    let lamp = ProductInfo(id: UUID(), name: "Lamp", price: Money(amount: 1250, currency: "USD"), available: 3)
    let desk = ProductInfo(id: UUID(), name: "Desk", price: Money(amount: 9900, currency: "USD"), available: 1)
    let (lines, total) = try CheckoutRequest.price(
      [(lamp.id, 2), (desk.id, 1)], products: [lamp.id: lamp, desk.id: desk])
    #expect(lines.map(\.name) == ["Lamp", "Desk"] && lines[0].unitPrice.amount == 1250)
    #expect(total == Money(amount: 12_400, currency: "USD"))
    #expect(throws: OrderError.notFound("product \(desk.id.lowercased)")) {
      try CheckoutRequest.price([(lamp.id, 1), (desk.id, 1)], products: [lamp.id: lamp])
    }
    var euro = desk
    euro.price.currency = "EUR"
    #expect(throws: OrderError.self) {
      try CheckoutRequest.price([(lamp.id, 1), (desk.id, 1)], products: [lamp.id: lamp, desk.id: euro])
    }
  }
}
