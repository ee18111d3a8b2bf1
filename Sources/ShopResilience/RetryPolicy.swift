import Foundation

/// Exponential backoff with full jitter, for calls that are safe to repeat.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts in all, the first included.
  public var maxAttempts: Int
  public var initialBackoff: Duration
  public var maxBackoff: Duration
  public var multiplier: Double

  public init(
    maxAttempts: Int = 3,
    initialBackoff: Duration = .milliseconds(50),
    maxBackoff: Duration = .seconds(1),
    multiplier: Double = 2
  ) {
    self.maxAttempts = maxAttempts
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
    self.multiplier = multiplier
  }

  /// The ceiling of the delay before attempt `attempt` (1 is the first retry).
  public func backoffCeiling(forRetry attempt: Int) -> Duration {
    let factor = pow(multiplier, Double(max(attempt - 1, 0)))
    let ceiling = initialBackoff * factor
    return min(ceiling, maxBackoff)
  }

  /// Full jitter: a delay drawn uniformly between zero and the ceiling.
  public func backoff(
    forRetry attempt: Int,
    using generator: inout some RandomNumberGenerator
  ) -> Duration {
    let ceiling = backoffCeiling(forRetry: attempt)
    let nanos = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
    guard nanos > 0 else { return .zero }
    return .nanoseconds(Int64.random(in: 0...nanos, using: &generator))
  }
}
