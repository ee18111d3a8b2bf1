/// The pure state of a circuit breaker: closed, open or half-open, decided by the failure
/// rate and the slow-call rate over a sliding window of the most recent calls.
///
/// Time is passed in, so every transition can be tested without a clock.
public struct CircuitBreakerStateMachine: Sendable {
  public enum State: Sendable, Equatable {
    case closed
    case open(until: ContinuousClock.Instant)
    case halfOpen(inFlight: Int, succeeded: Int)
  }

  /// What the caller of `acquire` must do.
  public enum Permission: Sendable, Equatable {
    case allowed
    /// Rejected without calling the upstream; retry no earlier than the instant given.
    case rejected(retryAfter: ContinuousClock.Instant)
  }

  public enum Outcome: Sendable {
    case success(Duration)
    case failure(Duration)
  }

  public let configuration: CircuitBreakerConfiguration
  public private(set) var state: State = .closed
  private var window: [Bool]  // per call: true when it counted as bad (failed or slow)
  private var failures: [Bool]
  private var next = 0
  private var count = 0

  public init(configuration: CircuitBreakerConfiguration) {
    self.configuration = configuration
    self.window = Array(repeating: false, count: configuration.windowSize)
    self.failures = Array(repeating: false, count: configuration.windowSize)
  }

  public mutating func acquire(now: ContinuousClock.Instant) -> Permission {
    switch state {
    case .closed:
      return .allowed
    case .open(let until):
      guard now >= until else { return .rejected(retryAfter: until) }
      state = .halfOpen(inFlight: 1, succeeded: 0)
      return .allowed
    case .halfOpen(let inFlight, let succeeded):
      guard inFlight + succeeded < configuration.halfOpenProbes else {
        return .rejected(retryAfter: now + configuration.openDuration)
      }
      state = .halfOpen(inFlight: inFlight + 1, succeeded: succeeded)
      return .allowed
    }
  }

  /// Whether `acquire` would allow a call now, without taking a place.
  public func admits(now: ContinuousClock.Instant) -> Bool {
    switch state {
    case .closed: true
    case .open(let until): now >= until
    case .halfOpen(let inFlight, let succeeded): inFlight + succeeded < configuration.halfOpenProbes
    }
  }

  /// Records the outcome of a call that `acquire` allowed.
  public mutating func record(_ outcome: Outcome, now: ContinuousClock.Instant) {
    let failed: Bool
    let duration: Duration
    switch outcome {
    case .success(let d): (failed, duration) = (false, d)
    case .failure(let d): (failed, duration) = (true, d)
    }
    let slow = duration >= configuration.slowCallThreshold

    switch state {
    case .closed:
      window[next] = slow
      failures[next] = failed
      next = (next + 1) % configuration.windowSize
      count = min(count + 1, configuration.windowSize)
      if shouldOpen { trip(now: now) }
    case .open:
      // A call allowed before the breaker opened finished late; it says nothing new.
      break
    case .halfOpen(let inFlight, let succeeded):
      if failed || slow {
        trip(now: now)
      } else if succeeded + 1 >= configuration.halfOpenProbes {
        reset()
      } else {
        state = .halfOpen(inFlight: max(inFlight - 1, 0), succeeded: succeeded + 1)
      }
    }
  }

  private var shouldOpen: Bool {
    guard count >= configuration.minimumCalls else { return false }
    let failed = failures.prefix(count).filter { $0 }.count
    let slow = window.prefix(count).filter { $0 }.count
    return Double(failed) / Double(count) >= configuration.failureRateThreshold
      || Double(slow) / Double(count) >= configuration.slowCallRateThreshold
  }

  private mutating func trip(now: ContinuousClock.Instant) {
    state = .open(until: now + configuration.openDuration)
    clearWindow()
  }

  private mutating func reset() {
    state = .closed
    clearWindow()
  }

  private mutating func clearWindow() {
    for i in window.indices {
      window[i] = false
      failures[i] = false
    }
    next = 0
    count = 0
  }
}
