import Foundation
import ShopContracts
import Testing

@Suite struct PageCursorTests {
  @Test func aCursorReadsBackAsItsPosition() throws {
    let cursor = PageCursor(createdAt: Date(timeIntervalSince1970: 1_800_000_000.123456), id: UUID())
    let read = try #require(PageCursor(encoded: cursor.encoded))
    #expect(read.id == cursor.id)
    #expect(abs(read.createdAt.timeIntervalSince(cursor.createdAt)) < 0.000_001)
    #expect(!cursor.encoded.contains("=") && !cursor.encoded.contains("/"))
  }

  @Test func anythingElseIsRefused() {
    for text in ["", "nope", OpaqueCursor.encode(["t": "x"]), OpaqueCursor.encode(["i": UUID().uuidString])] {
      #expect(PageCursor(encoded: text) == nil)
    }
  }
}

@Suite struct PageRequestTests {
  @Test func aLimitDefaultsTo20AndMayBe1To100() throws {
    #expect(try PageRequest(limit: 0, cursor: "").limit == 20)
    #expect(try PageRequest(limit: 1, cursor: "").limit == 1)
    #expect(try PageRequest(limit: 100, cursor: "").limit == 100)
    for limit: Int32 in [-1, 101] {
      #expect {
        try PageRequest(limit: limit, cursor: "")
      } throws: { error in
        (error as? PageRequest.Invalid)?.field == "limit"
      }
    }
  }

  @Test func aCursorNamesWhereThePageStarts() throws {
    let position = PageCursor(createdAt: Date(timeIntervalSince1970: 1_800_000_000), id: UUID())
    #expect(try PageRequest(limit: 0, cursor: position.encoded).after == position)
    #expect(try PageRequest(limit: 0, cursor: "").after == nil)
    #expect(throws: PageRequest.Invalid.self) { try PageRequest(limit: 0, cursor: "nope") }
  }
}
