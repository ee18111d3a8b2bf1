import Foundation
import Logging
import Testing

@testable import ShopObservability

@Suite struct LogRecordTests {
  @Test func anECSLineIsARecordOfItsProgram() throws {
    let line =
      #"{"@timestamp":"2026-12-08T10:00:00.250Z","log.level":"warning","message":"slow","service.name":"order","trace.id":"abc","http.response.status_code":503}"#
    let record = try #require(LogRecord(line: line, program: "order-2"))
    #expect(record.program == "order-2")
    #expect(record.service == "order")
    #expect(record.level == .warning)
    #expect(record.message == "slow")
    #expect(record.fields["trace.id"] == "abc")
    #expect(record.fields["http.response.status_code"] == "503")
    #expect(record.timestamp == Date(timeIntervalSince1970: 1_796_724_000.25))
    #expect(record.line == line)
  }

  @Test func linesThatAreNotECSObjectsAreNotRecords() {
    #expect(LogRecord(line: "2026-12-08 10:00:00 LOG:  checkpoint starting", program: "postgres") == nil)
    #expect(LogRecord(line: #"{"level":"info","msg":"no timestamp"}"#, program: "prometheus") == nil)
    #expect(LogRecord(line: #"{"@timestamp":"yesterday","message":"x"}"#, program: "user") == nil)
    #expect(LogRecord(line: "{not json", program: "user") == nil)
  }

  @Test func aTimestampWithoutFractionIsRead() {
    #expect(LogRecord.parseTimestamp("2026-12-08T10:00:00Z") == Date(timeIntervalSince1970: 1_796_724_000))
  }

  @Test func theReadableLineLeadsWithWhatItIsAbout() throws {
    let line =
      #"{"@timestamp":"2026-12-08T10:00:00.250Z","log.level":"info","message":"call","service.name":"product","log.logger":"shop.product","event.dataset":"rpc.server","event.duration":2073683,"rpc.grpc.status_code":"ok","rpc.method":"shop.product.v1.ProductService/Reserve","span.id":"ab","trace.id":"t1","http.request.id":"r1"}"#
    let record = try #require(LogRecord(line: line, program: "product-2"))
    #expect(
      record.readable
        == "2026-12-08T10:00:00.250Z product-2 info call shop.product.v1.ProductService/Reserve ok 2.1ms http.request.id=r1 trace.id=t1"
    )
  }
}
