import Configuration
import Logging

/// How a process logs, and where it sends traces.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `log.level` | `info` | lowest level written (`trace` … `critical`) |
/// | `otel.endpoint` | none | OTLP/HTTP base URL (`http://127.0.0.1:4318`); no export when unset |
/// | `otel.sampleRatio` | `1.0` | fraction of new traces recorded |
public struct ObservabilityConfiguration: Sendable {
  public var serviceName: String
  public var logLevel: Logger.Level
  public var otlpEndpoint: String?
  public var sampleRatio: Double

  public init(serviceName: String, logLevel: Logger.Level = .info, otlpEndpoint: String? = nil, sampleRatio: Double = 1)
  {
    self.serviceName = serviceName
    self.logLevel = logLevel
    self.otlpEndpoint = otlpEndpoint
    self.sampleRatio = sampleRatio
  }

  public init(serviceName: String, config: ConfigReader) {
    self.serviceName = serviceName
    self.logLevel = Logger.Level(rawValue: config.string(forKey: "log.level", default: "info")) ?? .info
    let endpoint = config.string(forKey: "otel.endpoint", default: "")
    self.otlpEndpoint = endpoint.isEmpty ? nil : endpoint
    self.sampleRatio = config.double(forKey: "otel.sampleRatio", default: 1)
  }
}
