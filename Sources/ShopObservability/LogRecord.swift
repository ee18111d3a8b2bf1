import Foundation
import Logging

/// One line of a program's log as `shop logs` reads it: an ECS object (ECSLogHandler's),
/// with the program whose file it came from. Lines that are not (a server's own format,
/// a crash's backtrace) are not records.
public struct LogRecord: Sendable {
  /// The program, from the log file's name: `order-2` where `service.name` says `order`.
  public let program: String
  public let line: String
  public let timestamp: Date
  public let fields: [String: String]

  public init?(line: String, program: String) {
    guard line.hasPrefix("{"),
      let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let stamp = object["@timestamp"] as? String, let timestamp = Self.parseTimestamp(stamp)
    else { return nil }
    self.program = program
    self.line = line
    self.timestamp = timestamp
    fields = object.compactMapValues { value in
      switch value {
      case let text as String: text
      case let number as NSNumber: number.stringValue
      default: nil
      }
    }
  }

  public var level: Logger.Level? { fields["log.level"].flatMap(Logger.Level.init(rawValue:)) }
  public var service: String? { fields["service.name"] }
  public var message: String { fields["message"] ?? "" }

  /// `time program level message`, then what the line is about (the request or call, its
  /// answer, how long it took), then its other fields as `key=value`, without the ones
  /// only a machine reads.
  public var readable: String {
    var parts = [fields["@timestamp"] ?? "", program, fields["log.level"] ?? "", message]
    parts += Self.headline.compactMap { fields[$0] }
    if let duration = fields["event.duration"].flatMap(Double.init) {
      parts.append(String(format: "%.1fms", duration / 1_000_000))
    }
    let hidden = Set(Self.headline).union(Self.unread)
    parts += fields.keys.filter { !hidden.contains($0) }.sorted().map { "\($0)=\(fields[$0]!)" }
    return parts.joined(separator: " ")
  }

  static let headline = [
    "http.request.method", "url.path", "http.response.status_code", "rpc.method", "rpc.grpc.status_code",
  ]
  static let unread: Set<String> = [
    "@timestamp", "log.level", "message", "service.name", "log.logger", "event.duration", "event.dataset", "span.id",
    "trace.flags", "hb.request.id",
  ]

  /// `@timestamp` as ECSLogHandler writes it (`2026-12-08T00:10:00.123Z`), with or without
  /// the fraction.
  static func parseTimestamp(_ text: String) -> Date? {
    try? (text.contains(".") ? withFraction : withoutFraction).parse(text)
  }

  // Made once: every line of a search is parsed with them.
  private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
  private static let withoutFraction = Date.ISO8601FormatStyle()
}
