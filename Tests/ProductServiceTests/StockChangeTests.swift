import Foundation
import ShopContracts
import ShopMessaging
import Testing

@testable import ProductService

/// Which stock changes announce an event, decided without a database.
@Suite struct StockChangeTests {
  static let product = UUID()

  static func change(_ before: Int64, _ after: Int64, threshold: Int64 = 5) -> StockChange {
    StockChange(
      productID: product, sku: "LAMP-1", name: "Lamp", threshold: threshold, before: before, after: after, version: 7)
  }

  @Test func crossingDownToTheThresholdIsLowStock() throws {
    let event = try #require(Self.change(6, 5).lowStock)
    #expect(event.type == InventoryLowStock.type && event.aggregateID == Self.product && event.aggregateVersion == 7)
    #expect(
      event.data
        == InventoryLowStock(
          productID: Self.product.uuidString.lowercased(), sku: "LAMP-1", name: "Lamp", available: 5, threshold: 5))
    #expect(Self.change(20, 1).lowStock?.data.available == 1)
  }

  @Test(arguments: [(5, 4), (4, 3), (10, 6), (6, 0), (0, 3), (3, 8)] as [(Int64, Int64)])
  func otherChangesAreNotLowStock(before: Int64, after: Int64) {
    #expect(Self.change(before, after).lowStock == nil, "\(before) → \(after)")
  }

  @Test func risingFromZeroIsBackInStockForWhoeverWaits() throws {
    let first = UUID()
    let second = UUID()
    let change = Self.change(0, 3)
    #expect(change.isBackInStock)
    let event = try #require(change.backInStock(waitlist: [first, second]))
    #expect(event.type == ProductBackInStock.type)
    #expect(event.data.waitlistUserIDs == [first.uuidString.lowercased(), second.uuidString.lowercased()])
    #expect(event.data.available == 3)
    #expect(Self.change(0, 3, threshold: 5).lowStock == nil, "coming back below the threshold is not a fall")
  }

  @Test(arguments: [(1, 3), (0, 0), (3, 0), (-1, 0)] as [(Int64, Int64)])
  func otherChangesAreNotBackInStock(before: Int64, after: Int64) {
    #expect(!Self.change(before, after).isBackInStock)
    #expect(Self.change(before, after).backInStock(waitlist: [UUID()]) == nil)
  }
}
