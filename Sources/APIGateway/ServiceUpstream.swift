import GRPCCore
import ShopResilience

/// The gateway's way to one backend service: every call has a deadline and fails fast when
/// the service is unreachable (no waiting for a connection), behind a circuit breaker; calls
/// that are safe to repeat are retried with jittered backoff under a retry budget.
struct ServiceUpstream<Client: Sendable>: Sendable {
  let client: Client
  let breaker: CircuitBreaker
  let timeout: Duration
  let retryPolicy: ShopResilience.RetryPolicy
  let retryBudget: RetryBudget

  init(name: String, client: Client, timeout: Duration) {
    self.client = client
    self.breaker = CircuitBreaker(name: name, countsAsFailure: Self.isUnhealthy)
    self.timeout = timeout
    self.retryPolicy = ShopResilience.RetryPolicy(
      maxAttempts: 3, initialBackoff: .milliseconds(25), maxBackoff: .milliseconds(200))
    self.retryBudget = RetryBudget()
  }

  var options: CallOptions {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    return options
  }

  /// Runs a call that changes state: never repeated by the gateway.
  func once<T: Sendable>(_ call: (Client, CallOptions) async throws -> T) async throws -> T {
    try await breaker.run { try await call(client, options) }
  }

  /// Runs a call that may be repeated safely (reads).
  func idempotent<T: Sendable>(_ call: (Client, CallOptions) async throws -> T) async throws -> T {
    try await withRetries(policy: retryPolicy, budget: retryBudget, isRetryable: Self.isRetryable) {
      try await breaker.run { try await call(client, options) }
    }
  }

  /// Errors that say the service is unwell, as opposed to an answer about the request.
  @Sendable static func isUnhealthy(_ error: any Error) -> Bool {
    guard let error = error as? RPCError else { return true }
    switch error.code {
    case .unavailable, .deadlineExceeded, .internalError, .unknown, .dataLoss: return true
    default: return false
    }
  }

  static func isRetryable(_ error: any Error) -> Bool {
    (error as? RPCError)?.code == .unavailable
  }
}
