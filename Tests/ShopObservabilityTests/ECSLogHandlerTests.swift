import Foundation
import Logging
import ServiceContextModule
import Synchronization
import Testing

@testable import ShopObservability

@Suite struct ECSLogHandlerTests {
  final class Lines: Sendable {
    let storage = Mutex<[String]>([])
    var sink: LogSink { LogSink { line in self.storage.withLock { $0.append(line) } } }
    var all: [String] { storage.withLock { $0 } }
  }

  @Test func writesOneECSObjectPerLine() throws {
    let lines = Lines()
    var logger = Logger(label: "test.logger") { label in
      ECSLogHandler(label: label, serviceName: "user", sink: lines.sink)
    }
    logger[metadataKey: "db.name"] = "users"
    logger.info("hello \"world\"\nsecond line", metadata: ["http.response.status_code": "200"])
    logger.debug("below the level")
    #expect(lines.all.count == 1)
    let object = try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as! [String: Any]
    #expect(object["message"] as? String == "hello \"world\"\nsecond line")
    #expect(object["log.level"] as? String == "info")
    #expect(object["service.name"] as? String == "user")
    #expect(object["log.logger"] as? String == "test.logger")
    #expect(object["db.name"] as? String == "users")
    #expect(object["http.response.status_code"] as? String == "200")
    #expect((object["@timestamp"] as? String)?.hasSuffix("Z") == true)
    #expect(!lines.all[0].contains("\n"))
  }

  @Test func namesTheRequestFromTheTaskContext() throws {
    let lines = Lines()
    let logger = Logger(label: "t") { label in
      ECSLogHandler(
        label: label, serviceName: "gateway", metadataProvider: Observability.requestIDMetadataProvider,
        sink: lines.sink)
    }
    var context = ServiceContext.topLevel
    context.requestID = "req-123"
    ServiceContext.withValue(context) { logger.info("inside") }
    logger.info("outside")
    let inside = try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as! [String: Any]
    let outside = try JSONSerialization.jsonObject(with: Data(lines.all[1].utf8)) as! [String: Any]
    #expect(inside["http.request.id"] as? String == "req-123")
    #expect(outside["http.request.id"] == nil)
  }

  @Test func metadataCannotOverwriteTheFixedFields() throws {
    let lines = Lines()
    let logger = Logger(label: "t") { ECSLogHandler(label: $0, serviceName: "user", sink: lines.sink) }
    logger.info("x", metadata: ["service.name": "forged", "message": "forged"])
    let object = try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as! [String: Any]
    #expect(object["service.name"] as? String == "user")
    #expect(object["message"] as? String == "x")
  }

  @Test func acceptsOnlyShortPrintableRequestIDs() {
    #expect(RequestID.isAcceptable("abc-123"))
    #expect(!RequestID.isAcceptable(""))
    #expect(!RequestID.isAcceptable("has space"))
    #expect(!RequestID.isAcceptable(String(repeating: "a", count: 200)))
    #expect(!RequestID.isAcceptable("line\nbreak"))
  }

  @Test func integersAreWrittenAsNumbersAndOtherValuesAsStrings() throws {
    let lines = Lines()
    let logger = Logger(label: "test") { ECSLogHandler(label: $0, serviceName: "gateway", sink: lines.sink) }
    logger.info(
      "request",
      metadata: [
        "http.response.status_code": .stringConvertible(201), "event.duration": .stringConvertible(Int64(1_500_000)),
        "ratio": .stringConvertible(0.5), "url.path": "/api/v1/orders",
      ])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
    #expect(object["http.response.status_code"] as? Int == 201)
    #expect(object["event.duration"] as? Int == 1_500_000)
    #expect(object["ratio"] as? String == "0.5")
    #expect(object["url.path"] as? String == "/api/v1/orders")
  }
}
