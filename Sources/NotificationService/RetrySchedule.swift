/// When a delivery that failed for now is tried again: a delay growing by `multiplier` from
/// `initialDelay` up to `maximumDelay`, for `maximumAttempts` attempts in all.
public struct RetrySchedule: Sendable, Hashable {
  public var initialDelay: Duration
  public var maximumDelay: Duration
  public var multiplier: Int
  public var maximumAttempts: Int

  /// Seconds up to minutes: 5 s, 15 s, 45 s, … capped at 10 min, 10 attempts (about an hour).
  public init(
    initialDelay: Duration = .seconds(5), maximumDelay: Duration = .seconds(600), multiplier: Int = 3,
    maximumAttempts: Int = 10
  ) {
    self.initialDelay = initialDelay
    self.maximumDelay = maximumDelay
    self.multiplier = max(1, multiplier)
    self.maximumAttempts = max(1, maximumAttempts)
  }

  /// The wait after failed attempt `attempt` (1 is the first), or `nil` when it was the last.
  public func delay(afterAttempt attempt: Int) -> Duration? {
    guard attempt < maximumAttempts else { return nil }
    var delay = initialDelay
    for _ in 1..<max(attempt, 1) {
      delay = delay * multiplier
      if delay >= maximumDelay { return maximumDelay }
    }
    return min(delay, maximumDelay)
  }
}

/// What becomes of a notification after an attempt to deliver it.
public enum DeliveryDecision: Sendable, Hashable {
  case sent
  /// Tried again after the delay.
  case retrying(after: Duration)
  /// Given up: the failure was final, or the attempts are used up.
  case failed
}

extension RetrySchedule {
  /// The decision after attempt `attempt`: `succeeded`, or failed and `permanent` (a 5xx
  /// from the mail server, a 404 or 410 from a push service) or not.
  public func decide(attempt: Int, succeeded: Bool, permanent: Bool) -> DeliveryDecision {
    if succeeded { return .sent }
    if permanent { return .failed }
    return delay(afterAttempt: attempt).map { .retrying(after: $0) } ?? .failed
  }
}
