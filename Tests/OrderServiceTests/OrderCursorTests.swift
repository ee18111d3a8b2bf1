import Foundation
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
    for text in ["", "nope", Data("12/x".utf8).base64EncodedString(), Data("x/\(UUID())".utf8).base64EncodedString()] {
      #expect(throws: OrderError.self) { try OrderCursor(encoded: text) }
    }
  }
}
