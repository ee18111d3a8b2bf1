import Foundation
import Testing

@testable import FulfillmentQueue

struct FulfillmentJobTests {
  @Test func aJobReadsBackFromItsFields() throws {
    let job = FulfillmentJob(
      orderID: UUID(), lines: [.init(productID: UUID(), name: "Lamp \"deluxe\"", quantity: 3)], country: "SE")
    let fields = Dictionary(uniqueKeysWithValues: job.fields)
    #expect(try FulfillmentJob(fields: fields) == job)
  }

  @Test func aJobWithoutAnOrderOrLinesIsMalformed() {
    #expect(throws: FulfillmentJobError.malformed("the job names no order (order_id)")) {
      try FulfillmentJob(fields: ["order_id": "nope", "lines": "[]"])
    }
    let id = UUID().uuidString.lowercased()
    for lines in ["[]", "not json", #"[{"product_id":"\#(UUID())","name":"x","quantity":0}]"#] {
      #expect(throws: FulfillmentJobError.malformed("the job of order \(id) has no readable lines")) {
        try FulfillmentJob(fields: ["order_id": id, "lines": lines])
      }
    }
  }
}
