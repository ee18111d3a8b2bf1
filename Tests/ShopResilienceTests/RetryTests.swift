import Synchronization
import Testing

@testable import ShopResilience

@Suite struct RetryTests {
  struct Transient: Error {}
  struct Permanent: Error {}

  @Test func backoffCeilingGrowsExponentiallyUpToTheMaximum() {
    let policy = RetryPolicy(maxAttempts: 6, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50))
    #expect(policy.backoffCeiling(forRetry: 1) == .milliseconds(10))
    #expect(policy.backoffCeiling(forRetry: 2) == .milliseconds(20))
    #expect(policy.backoffCeiling(forRetry: 3) == .milliseconds(40))
    #expect(policy.backoffCeiling(forRetry: 4) == .milliseconds(50))
  }

  @Test func fullJitterStaysBetweenZeroAndTheCeiling() {
    let policy = RetryPolicy(initialBackoff: .milliseconds(100))
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let delay = policy.backoff(forRetry: 1, using: &generator)
      #expect(delay >= .zero && delay <= .milliseconds(100))
    }
  }

  @Test func retriesTransientErrorsUntilSuccess() async throws {
    let attempts = Mutex(0)
    let value = try await withRetries(
      policy: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1)), budget: RetryBudget(),
      isRetryable: { $0 is Transient }
    ) {
      let n = attempts.withLock {
        $0 += 1; return $0
      }
      if n < 3 { throw Transient() }
      return n
    }
    #expect(value == 3)
  }

  @Test func doesNotRetryPermanentErrors() async {
    let attempts = Mutex(0)
    await #expect(throws: Permanent.self) {
      try await withRetries(
        policy: RetryPolicy(initialBackoff: .milliseconds(1)), budget: RetryBudget(), isRetryable: { $0 is Transient }
      ) {
        attempts.withLock { $0 += 1 }
        throw Permanent()
      }
    }
    #expect(attempts.withLock { $0 } == 1)
  }

  @Test func anEmptyBudgetStopsRetries() async {
    let budget = RetryBudget(ratio: 0, minimumRetries: 1)
    let attempts = Mutex(0)
    for _ in 0..<2 {
      await #expect(throws: Transient.self) {
        try await withRetries(
          policy: RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(1)), budget: budget,
          isRetryable: { _ in true }
        ) {
          attempts.withLock { $0 += 1 }
          throw Transient()
        }
      }
    }
    // One retry in all: 2 attempts for the first call, 1 for the second.
    #expect(attempts.withLock { $0 } == 3)
  }
}
