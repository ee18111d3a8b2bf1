import Foundation
import ShopContracts
import Testing

@testable import OrderService

@Suite struct OrderCursorTests {
  @Test func aCursorReadsBackAsItsPosition() throws {
    let cursor = OrderCursor(createdAt: Date(timeIntervalSince1970: 1_800_000_000.123456), id: UUID())
    let read = try OrderCursor(encoded: cursor.encoded)
    #expect(read.id == cursor.id)
    #expect(abs(read.createdAt.timeIntervalSince(cursor.createdAt)) < 0.000_001)
    #expect(!cursor.encoded.contains("=") && !cursor.encoded.contains("/"))
  }

  @Test func anythingElseIsRefused() {
    for text in ["", "nope", OpaqueCursor.encode(["t": "x"]), OpaqueCursor.encode(["i": UUID().uuidString])] {
      #expect(throws: OrderError.self) { try OrderCursor(encoded: text) }
    }
  }
}
