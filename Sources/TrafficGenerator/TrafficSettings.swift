/// What the generator is asked to do: a mode and its parameters. `PUT /mode` replaces the
/// mode and whichever parameters it names, keeping the others.
public struct TrafficSettings: Sendable, Equatable, Codable {
  public enum Mode: String, Sendable, Codable, CaseIterable {
    /// Sessions arrive at `rate` per second.
    case steady
    /// The steady rate, with spikes of `burstFactor` times it for `burstSeconds` once every
    /// `burstInterval` seconds; a spike starts as soon as the mode is set.
    case burst
    /// The rate rises until requests fail or p95 passes the SLO, then holds just above.
    case overload
    /// No new session or request starts; those in flight finish.
    case pause
  }

  public var mode: Mode
  /// Sessions (journeys) started per second, whether or not earlier ones have finished.
  public var rate: Double
  public var burstFactor: Double
  public var burstSeconds: Double
  public var burstInterval: Double

  public init(
    mode: Mode = .pause, rate: Double = 5, burstFactor: Double = 4, burstSeconds: Double = 5,
    burstInterval: Double = 30
  ) {
    self.mode = mode
    self.rate = rate
    self.burstFactor = burstFactor
    self.burstSeconds = burstSeconds
    self.burstInterval = burstInterval
  }

  enum CodingKeys: String, CodingKey {
    case mode, rate
    case burstFactor = "burst_factor"
    case burstSeconds = "burst_seconds"
    case burstInterval = "burst_interval"
  }

  /// The highest session rate accepted, far above what one machine can serve.
  public static let maximumRate = 10_000.0

  /// These settings with `change` applied, or why the change is refused (nothing changes then).
  public func applying(_ change: ModeChange) throws(TrafficError) -> TrafficSettings {
    guard let mode = Mode(rawValue: change.mode) else {
      throw TrafficError(
        .validationFailed, "mode must be one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    var next = self
    next.mode = mode
    if let rate = change.rate { next.rate = rate }
    if let factor = change.burstFactor { next.burstFactor = factor }
    if let seconds = change.burstSeconds { next.burstSeconds = seconds }
    if let interval = change.burstInterval { next.burstInterval = interval }
    guard next.rate > 0, next.rate <= Self.maximumRate else {
      throw TrafficError(.validationFailed, "rate must be above 0 and at most \(Int(Self.maximumRate))")
    }
    guard next.burstFactor >= 1, next.burstFactor <= 100 else {
      throw TrafficError(.validationFailed, "burst_factor must be 1 to 100")
    }
    guard next.burstSeconds > 0, next.burstInterval >= next.burstSeconds, next.burstInterval <= 86_400 else {
      throw TrafficError(.validationFailed, "burst_seconds must be above 0 and at most burst_interval")
    }
    return next
  }
}

/// The body of `PUT /mode`: a mode and, optionally, new parameters.
public struct ModeChange: Sendable, Equatable, Decodable {
  public var mode: String
  public var rate: Double?
  public var burstFactor: Double?
  public var burstSeconds: Double?
  public var burstInterval: Double?

  public init(
    mode: String, rate: Double? = nil, burstFactor: Double? = nil, burstSeconds: Double? = nil,
    burstInterval: Double? = nil
  ) {
    self.mode = mode
    self.rate = rate
    self.burstFactor = burstFactor
    self.burstSeconds = burstSeconds
    self.burstInterval = burstInterval
  }

  enum CodingKeys: String, CodingKey {
    case mode, rate
    case burstFactor = "burst_factor"
    case burstSeconds = "burst_seconds"
    case burstInterval = "burst_interval"
  }
}
