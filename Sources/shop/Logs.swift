import ArgumentParser
import Foundation
import Logging
import ShopObservability

/// `shop logs`: every program's log lines that match, oldest first, as one story.
struct Logs: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Search the logs of every program of the stack by trace id, request id, service, level and time.",
    discussion: """
      Examples:
        shop logs --trace 4bf92f3577b34da6a3ce929d0e0e4736     one request across every service
        shop logs --request 0b7c…                              by the X-Request-ID an answer carried
        shop logs --service order --level warning --since 15m  the order service's warnings of the last 15 minutes
      """)

  @Option(help: "Only lines of this trace (trace.id).") var trace: String?
  @Option(help: "Only lines of this request (http.request.id, the X-Request-ID header).") var request: String?
  @Option(help: "Only lines of this service (service.name) or program (order-2).") var service: String?
  @Option(help: "Only lines of this level and above: trace, debug, info, notice, warning, error, critical.")
  var level: String?
  @Option(help: "Only lines from then on: ISO 8601, or how long ago (30s, 15m, 2h, 1d).") var since: String?
  @Option(help: "Only lines until then: ISO 8601, or how long ago.") var until: String?
  @Option(help: "The directory of the programs' logs (default: the stack's .run/log).") var dir: String?
  @Flag(help: "The lines as they are (JSON), instead of one readable line each.") var json = false

  func run() throws {
    var query = LogQuery(traceID: trace, requestID: request, service: service)
    if let level {
      guard let parsed = Logger.Level(rawValue: level) else { throw ValidationError("unknown level \(level)") }
      query.minimumLevel = parsed
    }
    if let since {
      guard let date = LogQuery.instant(since) else { throw ValidationError("--since: not a time: \(since)") }
      query.since = date
    }
    if let until {
      guard let date = LogQuery.instant(until) else { throw ValidationError("--until: not a time: \(until)") }
      query.until = date
    }
    let directory =
      dir ?? (ProcessInfo.processInfo.environment["SHOP_RUN_DIR"].map { $0 + "/log" } ?? ".run/log")
    for record in try LogSearch.search(directory: URL(fileURLWithPath: directory), query: query) {
      print(json ? record.line : record.readable)
    }
  }
}
