/// One dependency a service checks: a database, a broker, an upstream service.
public struct HealthCheck: Sendable {
  /// What a failing check does to the service's health.
  public enum Impact: Sendable {
    /// The service cannot work without it: `down`, not ready.
    case critical
    /// The service works without it, with less: `degraded`, still ready.
    case degrading
  }

  public let name: String
  public let impact: Impact
  public let timeout: Duration
  public let probe: @Sendable () async throws -> Void

  public init(
    name: String, impact: Impact, timeout: Duration = .seconds(2), probe: @escaping @Sendable () async throws -> Void
  ) {
    self.name = name
    self.impact = impact
    self.timeout = timeout
    self.probe = probe
  }
}
