/// When a circuit breaker opens and how it probes its way back.
public struct CircuitBreakerConfiguration: Sendable, Equatable {
  /// How many of the most recent calls the rates are computed over.
  public var windowSize: Int
  /// Rates are not judged before this many calls are in the window.
  public var minimumCalls: Int
  /// Fraction of failed calls in the window that opens the breaker.
  public var failureRateThreshold: Double
  /// A call at least this long counts as slow.
  public var slowCallThreshold: Duration
  /// Fraction of slow calls in the window that opens the breaker.
  public var slowCallRateThreshold: Double
  /// How long the breaker stays open before letting probes through.
  public var openDuration: Duration
  /// How many probe calls must succeed in half-open state to close again.
  public var halfOpenProbes: Int

  public init(
    windowSize: Int = 20,
    minimumCalls: Int = 5,
    failureRateThreshold: Double = 0.5,
    slowCallThreshold: Duration = .seconds(2),
    slowCallRateThreshold: Double = 0.8,
    openDuration: Duration = .seconds(2),
    halfOpenProbes: Int = 1
  ) {
    precondition(windowSize > 0 && minimumCalls > 0 && halfOpenProbes > 0)
    self.windowSize = windowSize
    self.minimumCalls = min(minimumCalls, windowSize)
    self.failureRateThreshold = failureRateThreshold
    self.slowCallThreshold = slowCallThreshold
    self.slowCallRateThreshold = slowCallRateThreshold
    self.openDuration = openDuration
    self.halfOpenProbes = halfOpenProbes
  }
}
