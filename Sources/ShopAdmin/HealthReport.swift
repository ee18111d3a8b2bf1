/// The answer of `/health`: the aggregate status and one entry per dependency.
public struct HealthReport: Sendable, Codable, Equatable {
  public enum Status: String, Sendable, Codable {
    case ok
    case degraded
    case down
  }

  public struct Entry: Sendable, Codable, Equatable {
    public var status: Status
    public var latencyMs: Double
    public var error: String?

    enum CodingKeys: String, CodingKey {
      case status
      case latencyMs = "latency_ms"
      case error
    }
  }

  public var status: Status
  public var service: String
  public var checks: [String: Entry]

  /// `down` when a critical check fails, `degraded` when only others fail, else `ok`.
  public static func aggregate(_ results: [(HealthCheck.Impact, Bool)]) -> Status {
    if results.contains(where: { $0.0 == .critical && !$0.1 }) { return .down }
    if results.contains(where: { !$0.1 }) { return .degraded }
    return .ok
  }
}
