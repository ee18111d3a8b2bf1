/// How `overload` finds the stack's limit: the session rate rises by a quarter each window
/// while the window meets the SLO; the first window that misses it marks the limit, and from
/// then on the rate holds there, edging up a little after a window that meets the SLO and
/// down a little after one that misses it, so that it stays just above what the stack serves.
public struct OverloadController: Sendable, Equatable {
  public enum Phase: String, Sendable { case ramping, holding }

  public private(set) var rate: Double
  public private(set) var phase: Phase = .ramping
  let slo: SLO

  /// Windows with fewer requests say too little to decide on.
  static let minimumRequests = 20
  static let rampFactor = 1.25
  static let holdUp = 1.05
  static let holdDown = 0.98

  public init(startRate: Double, slo: SLO) {
    rate = min(max(startRate, 0.1), TrafficSettings.maximumRate)
    self.slo = slo
  }

  /// Moves the rate after a window of `requests`, `errors` of them failed.
  /// - Parameter latency: the window's latency in milliseconds at a percentile (0 to 100).
  public mutating func windowEnded(requests: Int, errors: Int, latency: (Double) -> Double) {
    guard requests >= Self.minimumRequests else {
      if phase == .ramping { rate = min(rate * Self.rampFactor, TrafficSettings.maximumRate) }
      return
    }
    let missed = !slo.violations(latency: latency, errorRatio: Double(errors) / Double(requests)).isEmpty
    switch (phase, missed) {
    case (.ramping, false):
      rate = min(rate * Self.rampFactor, TrafficSettings.maximumRate)
    case (.ramping, true):
      phase = .holding
    case (.holding, false):
      rate = min(rate * Self.holdUp, TrafficSettings.maximumRate)
    case (.holding, true):
      rate = max(rate * Self.holdDown, 0.1)
    }
  }
}
