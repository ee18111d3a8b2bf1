/// The generic cell rate algorithm: a quota of `q` per window `w` lets one request through
/// every `w / q` on average, with bursts of up to `q`. All that is kept per key is the
/// theoretical arrival time (TAT) of the next request; a request is let through when the
/// TAT it would leave is no more than one window ahead of now. The Redis script of
/// ``RateLimiter`` computes the same, on Redis's clock.
enum GCRA {
  /// The decision for a request at `now` (milliseconds) given the stored TAT, and the TAT to
  /// store when it is let through (nil when refused: the stored one stands).
  static func decide(storedTAT: Double?, now: Double, policy: RateLimitPolicy) -> (
    decision: RateLimitDecision, newTAT: Double?
  ) {
    let window = policy.windowMilliseconds
    let interval = window / Double(policy.quota)
    let tat = max(storedTAT ?? now, now)
    let next = tat + interval
    let allowedAt = next - window
    if now < allowedAt {
      return (
        RateLimitDecision(
          allowed: false, remaining: 0, retryAfterMilliseconds: allowedAt - now, resetMilliseconds: tat - now),
        nil
      )
    }
    let remaining = Int(((window - (next - now)) / interval).rounded(.down))
    return (
      RateLimitDecision(allowed: true, remaining: remaining, retryAfterMilliseconds: 0, resetMilliseconds: next - now),
      next
    )
  }
}

/// What the limiter decided for one request.
public struct RateLimitDecision: Sendable, Equatable {
  public var allowed: Bool
  /// Requests left in the window after this one.
  public var remaining: Int
  /// How long until a request would be let through (0 when this one was).
  public var retryAfterMilliseconds: Double
  /// How long until the whole quota is available again.
  public var resetMilliseconds: Double

  /// `Retry-After`, in whole seconds, never 0 for a refusal.
  var retryAfterSeconds: Int { max(1, Int((retryAfterMilliseconds / 1000).rounded(.up))) }

  /// The item of `RateLimit`: `"user";r=1187;t=42`.
  func field(_ policy: RateLimitPolicy) -> String {
    "\"\(policy.name)\";r=\(remaining);t=\(Int((resetMilliseconds / 1000).rounded(.up)))"
  }
}
