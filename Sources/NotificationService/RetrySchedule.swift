import Foundation

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

/// How one attempt to deliver went, as the channel's sender saw it.
public enum DeliveryOutcome: Sendable, Hashable {
  case delivered
  /// Not delivered. `permanent` when sending it again cannot succeed (a 5xx from the mail
  /// server, a 404 or 410 from a push service); `retryAfter` when the receiver named a wait.
  case refused(String, permanent: Bool, retryAfter: Duration? = nil)
  /// Nothing to deliver to (a user without push subscriptions, an account that is gone).
  case skipped(String)

  /// Why it was not delivered, as the notification's `last_error` keeps it.
  public var reason: String? {
    switch self {
    case .delivered: nil
    case .refused(let reason, _, _), .skipped(let reason): reason
    }
  }
}

/// What becomes of a notification after an attempt to deliver it.
public enum DeliveryDecision: Sendable, Hashable {
  case sent
  /// Tried again after the delay.
  case retrying(after: Duration)
  /// Given up: the failure was final, or the attempts are used up.
  case failed
  case skipped

  /// When the next attempt is due after `now`: only for `retrying`.
  public func nextAttempt(after now: Date) -> Date? {
    guard case .retrying(let delay) = self else { return nil }
    return now.addingTimeInterval(delay / .seconds(1))
  }

  /// The stored status and metric label of the decision.
  public var label: String {
    switch self {
    case .sent: "sent"
    case .retrying: "retrying"
    case .failed: "failed"
    case .skipped: "skipped"
    }
  }
}

extension RetrySchedule {
  /// The decision after attempt `attempt` (1 is the first) came out as `outcome`. A wait the
  /// receiver asked for is honoured when it is longer than the schedule's, up to the cap.
  public func decide(attempt: Int, outcome: DeliveryOutcome) -> DeliveryDecision {
    switch outcome {
    case .delivered: return .sent
    case .skipped: return .skipped
    case .refused(_, permanent: true, _): return .failed
    case .refused(_, permanent: false, let retryAfter):
      guard let delay = delay(afterAttempt: attempt) else { return .failed }
      return .retrying(after: min(max(delay, retryAfter ?? .zero), max(delay, maximumDelay)))
    }
  }
}
