import Foundation
import Testing

@testable import OrderService

@Suite struct CartRulesTests {
  let product = UUID()

  @Test func quantitiesAreBoundedByTheRangeAndTheStock() throws {
    try CartRules.check(quantity: 3, of: product, available: 3, in: [:])
    try CartRules.check(quantity: 0, of: product, available: 0, in: [product: 2])
    #expect(throws: OrderError.insufficientStock(productID: product, available: 3)) {
      try CartRules.check(quantity: 4, of: product, available: 3, in: [:])
    }
    #expect(throws: OrderError.self) { try CartRules.check(quantity: -1, of: product, available: 9, in: [:]) }
    #expect(throws: OrderError.self) { try CartRules.check(quantity: 10_001, of: product, available: .max, in: [:]) }
  }

  @Test func aCartHoldsAtMostAHundredProducts() throws {
    let full = Dictionary(uniqueKeysWithValues: (0..<100).map { _ in (UUID(), Int64(1)) })
    #expect(throws: OrderError.self) { try CartRules.check(quantity: 1, of: product, available: 9, in: full) }
    // A product already in it may still change.
    try CartRules.check(quantity: 2, of: full.keys.first!, available: 9, in: full)
  }

  @Test func theViewPricesLinesNowAndLeavesOutProductsThatAreGone() {
    let lamp = ProductInfo(id: UUID(), name: "Lamp", price: Money(amount: 500, currency: "USD"), available: 1)
    let bowl = ProductInfo(id: UUID(), name: "Bowl", price: Money(amount: 250, currency: "USD"), available: 1)
    let view = CartRules.view(of: [lamp.id: 2, bowl.id: 1, UUID(): 4], products: [lamp.id: lamp, bowl.id: bowl])
    #expect(view.items.map(\.name) == ["Bowl", "Lamp"])
    #expect(view.items.map(\.lineTotal.amount) == [250, 1000])
    #expect(view.total == Money(amount: 1250, currency: "USD"))
    #expect(CartRules.view(of: [:], products: [:]).total == Money(amount: 0, currency: "USD"))
  }
}
