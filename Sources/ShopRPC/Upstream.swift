import GRPCCore
import ShopResilience
import Synchronization

/// The one way to call another service, for the gateway and every service alike.
///
/// - every call has a deadline and fails fast when no connection is ready;
/// - each instance of the upstream has its own circuit breaker (failure rate and slow-call
///   rate), so that a dead instance is left out while the healthy ones keep serving; calls
///   go round-robin over the instances whose breaker admits them;
/// - calls that are safe to repeat are retried with exponential backoff and full jitter,
///   each retry on the next instance, under a retry budget; calls that change state are
///   never repeated;
/// - request id, trace context and the caller's identity travel in metadata, and
///   `rpc_client_*` metrics are recorded, by ``ClientContextInterceptor`` on every client.
public final class Upstream<Client: Sendable>: Sendable {
  public struct Instance: Sendable {
    public let address: String
    public let client: Client
    let breaker: CircuitBreaker
  }

  public let name: String
  public let timeout: Duration
  let breakerConfiguration: CircuitBreakerConfiguration
  let retryPolicy: ShopResilience.RetryPolicy
  let retryBudget: RetryBudget
  private let current: Mutex<[Instance]>
  private let cursor = Atomic<Int>(0)

  /// - Parameters:
  ///   - instances: the address and client of each instance; none for an upstream whose
  ///     instances come from the registry (see ``replaceInstances(_:)``).
  public init(
    name: String, instances: [(address: String, client: Client)], timeout: Duration,
    breaker: CircuitBreakerConfiguration = .init(),
    retryPolicy: ShopResilience.RetryPolicy = ShopResilience.RetryPolicy(
      maxAttempts: 3, initialBackoff: .milliseconds(25), maxBackoff: .milliseconds(200)),
    retryBudget: RetryBudget = RetryBudget()
  ) {
    self.name = name
    self.breakerConfiguration = breaker
    self.current = Mutex(
      instances.map {
        Instance(
          address: $0.address, client: $0.client,
          breaker: CircuitBreaker(
            name: name, instance: $0.address, configuration: breaker, countsAsFailure: Self.isUnhealthy))
      })
    self.timeout = timeout
    self.retryPolicy = retryPolicy
    self.retryBudget = retryBudget
  }

  /// The instances calls go to now.
  public var instances: [Instance] { current.withLock { $0 } }

  /// Makes `instances` the ones calls go to: an instance already known keeps its client's
  /// breaker state, a new one starts with a closed breaker, one no longer listed gets no
  /// new calls.
  public func replaceInstances(_ instances: [(address: String, client: Client)]) {
    current.withLock { current in
      let known = Dictionary(current.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
      current = instances.map { listed in
        known[listed.address]
          ?? Instance(
            address: listed.address, client: listed.client,
            breaker: CircuitBreaker(
              name: name, instance: listed.address, configuration: breakerConfiguration,
              countsAsFailure: Self.isUnhealthy))
      }
    }
  }

  /// The options of every call: the deadline, and no waiting for a connection.
  public var options: CallOptions { Self.options(timeout: timeout) }

  public static func options(timeout: Duration) -> CallOptions {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    return options
  }

  /// Runs a call that changes state: on one instance, never repeated. An instance whose
  /// breaker turns it away never saw the call, so the next one is asked instead.
  public func once<T: Sendable>(_ call: (Client, CallOptions) async throws -> T) async throws -> T {
    var untried = instances.count
    while true {
      let instance = try pick()
      untried -= 1
      do {
        return try await instance.breaker.run { try await call(instance.client, options) }
      } catch is CircuitBreakerOpenError where untried > 0 {
        continue
      }
    }
  }

  /// Runs a call that may be repeated safely (a read, or a write idempotent on a key the
  /// request carries), retrying on the next instance when one is unavailable.
  public func idempotent<T: Sendable>(_ call: (Client, CallOptions) async throws -> T) async throws -> T {
    try await withRetries(policy: retryPolicy, budget: retryBudget, isRetryable: Self.isRetryable) {
      let instance = try pick()
      return try await instance.breaker.run { try await call(instance.client, options) }
    }
  }

  /// The next instance in turn whose breaker admits calls; when none does, the next in turn,
  /// whose breaker rejects the call at once; when there is none (none is registered),
  /// `unavailable`.
  func pick() throws -> Instance {
    let instances = self.instances
    guard !instances.isEmpty else {
      throw RPCError(code: .unavailable, message: "no instance of \(name) is available")
    }
    let start = Int(UInt(bitPattern: cursor.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(instances.count))
    for offset in 0..<instances.count {
      let instance = instances[(start + offset) % instances.count]
      if instance.breaker.admitsCalls { return instance }
    }
    return instances[start]
  }

  /// Errors that say the instance is unwell, as opposed to an answer about the request.
  @Sendable public static func isUnhealthy(_ error: any Error) -> Bool {
    guard let error = error as? RPCError else { return true }
    switch error.code {
    case .unavailable, .deadlineExceeded, .internalError, .unknown, .dataLoss: return true
    default: return false
    }
  }

  /// Errors after which the call cannot have taken effect, so another instance may take it.
  static func isRetryable(_ error: any Error) -> Bool {
    (error as? RPCError)?.code == .unavailable || error is CircuitBreakerOpenError
  }
}
