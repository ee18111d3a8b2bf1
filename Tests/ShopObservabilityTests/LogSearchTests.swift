import Foundation
import Testing

@testable import ShopObservability

@Suite struct LogSearchTests {
  static func line(_ stamp: String, _ message: String, trace: String) -> String {
    #"{"@timestamp":"2026-12-08T10:00:\#(stamp)Z","log.level":"info","message":"\#(message)","service.name":"s","trace.id":"\#(trace)"}"#
  }

  func directory(_ files: [String: [String]]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, lines) in files {
      try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent(name))
    }
    return directory
  }

  @Test func oneTraceReadsInTimeOrderAcrossEveryProgram() throws {
    let logs = try directory([
      "gateway-1.log": [Self.line("01.000", "request", trace: "t"), Self.line("05.000", "answer", trace: "t")],
      "order-2.log": [
        Self.line("02.000", "saga", trace: "t"), Self.line("02.500", "other", trace: "u"),
        "a line that is not JSON t",
      ],
      "product.log.1": [Self.line("03.000", "reserve", trace: "t")],
      "supervisord.pid": [Self.line("04.000", "not a log", trace: "t")],
    ])
    defer { try? FileManager.default.removeItem(at: logs) }
    let found = try LogSearch.search(directory: logs, query: LogQuery(traceID: "t"))
    #expect(found.map(\.message) == ["request", "saga", "reserve", "answer"])
    #expect(found.map(\.program) == ["gateway-1", "order-2", "product", "gateway-1"])
  }

  @Test func linesOfTheSameMillisecondKeepTheirOrder() throws {
    let logs = try directory(["user.log": (1...5).map { Self.line("01.000", "\($0)", trace: "t") }])
    defer { try? FileManager.default.removeItem(at: logs) }
    #expect(try LogSearch.search(directory: logs, query: LogQuery()).map(\.message) == ["1", "2", "3", "4", "5"])
  }

  @Test func aMissingDirectoryIsAnError() {
    #expect(throws: (any Error).self) {
      try LogSearch.search(directory: URL(fileURLWithPath: "/nonexistent-\(UUID())"), query: LogQuery())
    }
  }

  @Test func programsAreNamedAfterTheirLogFiles() {
    #expect(LogSearch.program(ofLog: "order-2.log") == "order-2")
    #expect(LogSearch.program(ofLog: "order-2.log.3") == "order-2")
    #expect(LogSearch.program(ofLog: "order-2.log.") == nil)
    #expect(LogSearch.program(ofLog: "order-2.logs") == nil)
    #expect(LogSearch.program(ofLog: ".log") == nil)
    #expect(LogSearch.program(ofLog: "supervisord.pid") == nil)
  }
}
