/// How `overload` finds the stack's limit. The session rate rises by a quarter each window
/// while the window meets the SLO. The first window that misses it marks the limit: the rate
/// goes back to just above the last one that met it, and holds there, edging up a little
/// after a window that meets the SLO and down a little after one that misses it. A window at
/// whose end sessions were waiting for a free customer misses too (more customers would be
/// needed to offer more): the rate then goes to just above the sessions that could start.
public struct OverloadController: Sendable, Equatable {
  public enum Phase: String, Sendable { case ramping, holding }

  /// What one window measured.
  public struct Window {
    public var requests: Int
    public var errors: Int
    /// Latency in milliseconds at a percentile (0 to 100).
    public var latency: (Double) -> Double
    /// Sessions that started during the window, per second.
    public var sessionsStarted: Double
    /// Whether sessions were waiting for a free customer at its end.
    public var saturated: Bool

    public init(
      requests: Int, errors: Int, latency: @escaping (Double) -> Double, sessionsStarted: Double = 0,
      saturated: Bool = false
    ) {
      self.requests = requests
      self.errors = errors
      self.latency = latency
      self.sessionsStarted = sessionsStarted
      self.saturated = saturated
    }
  }

  public private(set) var rate: Double
  public private(set) var phase: Phase = .ramping
  /// The highest rate whose window met the SLO.
  public private(set) var lastGood: Double?
  let slo: SLO

  /// Windows with fewer requests say too little to decide on.
  static let minimumRequests = 20
  static let rampFactor = 1.25
  static let above = 1.05
  static let holdDown = 0.98

  public init(startRate: Double, slo: SLO) {
    rate = Self.bounded(startRate)
    self.slo = slo
  }

  /// Moves the rate after a window; true when this window marked the limit.
  @discardableResult
  public mutating func windowEnded(_ window: Window) -> Bool {
    guard window.requests >= Self.minimumRequests || window.saturated else {
      if phase == .ramping { rate = Self.bounded(rate * Self.rampFactor) }
      return false
    }
    let errorRatio = Double(window.errors) / Double(max(window.requests, 1))
    let missed = window.saturated || !slo.violations(latency: window.latency, errorRatio: errorRatio).isEmpty
    switch (phase, missed) {
    case (.ramping, false):
      lastGood = rate
      rate = Self.bounded(rate * Self.rampFactor)
      return false
    case (.ramping, true):
      phase = .holding
      if window.saturated {
        rate = Self.bounded(min(rate, window.sessionsStarted) * Self.above)
      } else if let lastGood {
        rate = Self.bounded(lastGood * Self.above)
      }
      return true
    case (.holding, false):
      rate = Self.bounded(rate * Self.above)
    case (.holding, true):
      rate = Self.bounded(rate * Self.holdDown)
      if window.saturated { rate = Self.bounded(min(rate, window.sessionsStarted * Self.above)) }
    }
    return false
  }

  static func bounded(_ rate: Double) -> Double { min(max(rate, 0.1), TrafficSettings.maximumRate) }
}
