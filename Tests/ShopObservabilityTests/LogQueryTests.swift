import Foundation
import Logging
import Testing

@testable import ShopObservability

@Suite struct LogQueryTests {
  static func record(
    at seconds: Double = 0, level: String = "info", service: String = "order", program: String = "order",
    trace: String = "t1", request: String = "r1"
  ) -> LogRecord {
    let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_796_724_000 + seconds))
    let line =
      #"{"@timestamp":"\#(stamp)","log.level":"\#(level)","message":"m","service.name":"\#(service)","trace.id":"\#(trace)","http.request.id":"\#(request)"}"#
    return LogRecord(line: line, program: program)!
  }

  @Test func anEmptyQueryMatchesEveryRecord() {
    #expect(LogQuery().matches(Self.record()))
  }

  @Test func idsMatchExactlyNotAsPartOfAnother() {
    #expect(LogQuery(traceID: "t1").matches(Self.record(trace: "t1")))
    #expect(!LogQuery(traceID: "t1").matches(Self.record(trace: "t12")))
    #expect(LogQuery(requestID: "r1").matches(Self.record(request: "r1")))
    #expect(!LogQuery(requestID: "r1").matches(Self.record(request: "r2")))
  }

  @Test func aLineWithoutTheIdIsSkippedBeforeParsing() {
    #expect(!LogQuery(traceID: "abc").mayMatch(#"{"trace.id":"xyz"}"#))
    #expect(LogQuery(traceID: "abc").mayMatch(#"{"trace.id":"abc"}"#))
    #expect(!LogQuery(traceID: "abc", requestID: "r9").mayMatch(#"{"trace.id":"abc"}"#))
  }

  @Test func aServiceMatchesByServiceNameOrProgram() {
    #expect(LogQuery(service: "order").matches(Self.record(service: "order", program: "order-2")))
    #expect(LogQuery(service: "order-2").matches(Self.record(service: "order", program: "order-2")))
    #expect(!LogQuery(service: "order").matches(Self.record(service: "user", program: "user")))
  }

  @Test func aLevelMeansThatLevelAndAbove() {
    let query = LogQuery(minimumLevel: .warning)
    #expect(query.matches(Self.record(level: "warning")))
    #expect(query.matches(Self.record(level: "error")))
    #expect(!query.matches(Self.record(level: "info")))
    #expect(!query.matches(Self.record(level: "unheard-of")))
  }

  @Test func theTimeRangeIncludesItsEnds() {
    let query = LogQuery(
      since: Date(timeIntervalSince1970: 1_796_724_010), until: Date(timeIntervalSince1970: 1_796_724_020))
    #expect(!query.matches(Self.record(at: 9)))
    #expect(query.matches(Self.record(at: 10)))
    #expect(query.matches(Self.record(at: 20)))
    #expect(!query.matches(Self.record(at: 21)))
  }

  @Test func instantsAreISO8601OrHowLongAgo() {
    let now = Date(timeIntervalSince1970: 1_796_724_000)
    #expect(LogQuery.instant("2026-12-08T10:00:00Z", now: now) == now)
    #expect(LogQuery.instant("90s", now: now) == now.addingTimeInterval(-90))
    #expect(LogQuery.instant("15m", now: now) == now.addingTimeInterval(-900))
    #expect(LogQuery.instant("2h", now: now) == now.addingTimeInterval(-7200))
    #expect(LogQuery.instant("1d", now: now) == now.addingTimeInterval(-86_400))
    #expect(LogQuery.instant("soon", now: now) == nil)
    #expect(LogQuery.instant("-5m", now: now) == nil)
    #expect(LogQuery.instant("m", now: now) == nil)
  }
}
