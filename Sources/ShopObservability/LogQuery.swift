import Foundation
import Logging

/// Which lines `shop logs` shows: every condition given must hold.
public struct LogQuery: Sendable, Equatable {
  public var traceID: String?
  public var requestID: String?
  /// A service (`service.name`) or a program (`order-2`).
  public var service: String?
  /// This level and above.
  public var minimumLevel: Logger.Level?
  public var since: Date?
  public var until: Date?

  public init(
    traceID: String? = nil, requestID: String? = nil, service: String? = nil, minimumLevel: Logger.Level? = nil,
    since: Date? = nil, until: Date? = nil
  ) {
    self.traceID = traceID
    self.requestID = requestID
    self.service = service
    self.minimumLevel = minimumLevel
    self.since = since
    self.until = until
  }

  /// Whether a raw line can match at all, before it is parsed: an id asked for must appear
  /// in it. Most lines of a large log are skipped here.
  public func mayMatch(_ line: Substring) -> Bool {
    if let traceID, !line.contains(traceID) { return false }
    if let requestID, !line.contains(requestID) { return false }
    return true
  }

  public func matches(_ record: LogRecord) -> Bool {
    if let traceID, record.fields["trace.id"] != traceID { return false }
    if let requestID, record.fields["http.request.id"] != requestID { return false }
    if let service, record.service != service && record.program != service { return false }
    if let minimumLevel {
      guard let level = record.level, level >= minimumLevel else { return false }
    }
    if let since, record.timestamp < since { return false }
    if let until, record.timestamp > until { return false }
    return true
  }

  /// A point in time as an operator writes it: ISO 8601 (`2026-12-08T10:00:00Z`), or how long
  /// ago (`90s`, `15m`, `2h`, `1d`). Nil for anything else.
  public static func instant(_ text: String, now: Date = Date()) -> Date? {
    if let date = LogRecord.parseTimestamp(text) { return date }
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    guard let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount >= 0 else {
      return nil
    }
    return now.addingTimeInterval(-amount * unit)
  }
}
