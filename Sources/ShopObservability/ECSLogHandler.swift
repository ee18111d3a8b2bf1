import Foundation
import Logging
import Synchronization

/// Writes one JSON object per line with Elastic Common Schema field names, so that a log
/// shipper can forward the lines to Elasticsearch unchanged.
///
/// Metadata keys are written as given; the project names them the ECS way
/// (`http.request.id`, `trace.id`, `db.migration.version`).
public struct ECSLogHandler: LogHandler {
  public var logLevel: Logger.Level
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  private let label: String
  private let serviceName: String
  private let sink: LogSink

  public init(
    label: String,
    serviceName: String,
    logLevel: Logger.Level = .info,
    metadataProvider: Logger.MetadataProvider? = nil,
    sink: LogSink = .standardOutput
  ) {
    self.label = label
    self.serviceName = serviceName
    self.logLevel = logLevel
    self.metadataProvider = metadataProvider
    self.sink = sink
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
    if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }

    var out = JSONLineWriter()
    out.field("@timestamp", Self.timestamp())
    out.field("log.level", event.level.rawValue)
    out.field("message", event.message.description)
    out.field("service.name", serviceName)
    out.field("log.logger", label)
    if let error = event.error {
      out.field("error.message", String(describing: error))
      out.field("error.type", String(reflecting: type(of: error)))
    }
    if event.level >= .warning {
      out.field("log.origin.file.name", event.file)
      out.field("log.origin.file.line", Int(event.line))
    }
    for key in merged.keys.sorted() where !Self.reserved.contains(key) {
      out.field(key, merged[key]!)
    }
    sink.write(out.finish())
  }

  /// Fields the handler writes itself; metadata cannot overwrite them.
  private static let reserved: Set<String> = ["@timestamp", "log.level", "message", "service.name", "log.logger"]

  private static func timestamp() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var seconds = now.tv_sec
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let millis = Int(now.tv_nsec) / 1_000_000
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis
    )
  }
}

/// Where log lines go. Each line is written whole in one call, so lines of concurrent tasks
/// never interleave.
public struct LogSink: Sendable {
  private let writeLine: @Sendable (String) -> Void

  public init(_ writeLine: @escaping @Sendable (String) -> Void) {
    self.writeLine = writeLine
  }

  public func write(_ line: String) { writeLine(line) }

  public static let standardOutput = LogSink { line in
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
        if n <= 0 { return }
        offset += n
      }
    }
  }
}
