/// Runs `body`, retrying under `policy` while `isRetryable` says the error is transient and
/// the budget allows. Cancellation stops the retries.
public func withRetries<T>(
  policy: RetryPolicy,
  budget: RetryBudget,
  isRetryable: (any Error) -> Bool,
  _ body: () async throws -> T
) async throws -> T {
  budget.recordCall()
  var generator = SystemRandomNumberGenerator()
  var attempt = 1
  while true {
    do {
      return try await body()
    } catch {
      guard attempt < policy.maxAttempts, isRetryable(error), budget.tryWithdraw() else {
        throw error
      }
      try await Task.sleep(for: policy.backoff(forRetry: attempt, using: &generator))
      attempt += 1
    }
  }
}
