/// A delay that doubles after each failure, up to a ceiling, for loops that wait out an
/// outage rather than give up on it.
public struct Backoff: Sendable, Equatable {
  public var initial: Duration
  public var maximum: Duration

  public init(initial: Duration, maximum: Duration) {
    self.initial = initial
    self.maximum = maximum
  }

  /// The delay that follows `delay`.
  public func next(after delay: Duration) -> Duration { min(delay * 2, maximum) }
}

/// Runs `body` until it returns, waiting after each failure (`onFailure` sees the error and
/// the wait). An error that `isRetryable` refuses ends it, and so does cancellation, with
/// `CancellationError`.
public func untilSuccess<T>(
  backoff: Backoff,
  isRetryable: (any Error) -> Bool = { _ in true },
  onFailure: (any Error, Duration) -> Void,
  _ body: () async throws -> T
) async throws -> T {
  var delay = backoff.initial
  while true {
    try Task.checkCancellation()
    do {
      return try await body()
    } catch is CancellationError {
      throw CancellationError()
    } catch let error where !isRetryable(error) {
      throw error
    } catch {
      onFailure(error, delay)
      try await Task.sleep(for: delay)
      delay = backoff.next(after: delay)
    }
  }
}

/// Runs `body` again and again until the task is cancelled, backing off while it fails and
/// starting from the first delay again after it succeeds.
public func repeatUntilCancelled(
  backoff: Backoff, onFailure: (any Error, Duration) -> Void, _ body: () async throws -> Void
) async {
  while !Task.isCancelled {
    try? await untilSuccess(backoff: backoff, onFailure: onFailure, body)
  }
}
