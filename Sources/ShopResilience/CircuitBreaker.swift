import Metrics
import Synchronization

/// Guards calls to one upstream: once too many calls fail or are slow it rejects calls at
/// once with ``CircuitBreakerOpenError`` instead of letting them wait on a dead peer.
public final class CircuitBreaker: Sendable {
  public let name: String
  private let machine: Mutex<CircuitBreakerStateMachine>
  private let countsAsFailure: @Sendable (any Error) -> Bool
  private let stateGauge: Gauge

  /// - Parameters:
  ///   - countsAsFailure: whether an error says the upstream is unhealthy (a timeout, a
  ///     refused connection) rather than that the request was bad.
  ///   - instance: the upstream instance it guards (`host:port`), when there are several;
  ///     the gauge `circuit_breaker_state` is labelled with it.
  public init(
    name: String,
    instance: String? = nil,
    configuration: CircuitBreakerConfiguration = .init(),
    countsAsFailure: @escaping @Sendable (any Error) -> Bool = { _ in true }
  ) {
    self.name = name
    self.machine = Mutex(CircuitBreakerStateMachine(configuration: configuration))
    self.countsAsFailure = countsAsFailure
    self.stateGauge = Gauge(
      label: "circuit_breaker_state", dimensions: [("upstream", name)] + (instance.map { [("instance", $0)] } ?? []))
    stateGauge.record(0)
  }

  public var state: CircuitBreakerStateMachine.State {
    machine.withLock { $0.state }
  }

  /// Whether a call now would be let through rather than rejected at once (closed, or open
  /// long enough to probe).
  public var admitsCalls: Bool {
    machine.withLock { $0.admits(now: .now) }
  }

  public func run<T>(_ body: () async throws -> T) async throws -> T {
    let clock = ContinuousClock()
    let start = clock.now
    let permission = machine.withLock { $0.acquire(now: start) }
    if case .rejected(let retryAfter) = permission {
      throw CircuitBreakerOpenError(upstream: name, retryAfter: retryAfter - start)
    }
    publishState()
    do {
      let value = try await body()
      finish(.success(clock.now - start), clock: clock)
      return value
    } catch {
      let elapsed = clock.now - start
      finish(countsAsFailure(error) ? .failure(elapsed) : .success(elapsed), clock: clock)
      throw error
    }
  }

  private func finish(_ outcome: CircuitBreakerStateMachine.Outcome, clock: ContinuousClock) {
    machine.withLock { $0.record(outcome, now: clock.now) }
    publishState()
  }

  /// The gauge reads 0 closed, 1 half-open, 2 open.
  private func publishState() {
    switch state {
    case .closed: stateGauge.record(0)
    case .halfOpen: stateGauge.record(1)
    case .open: stateGauge.record(2)
    }
  }
}

/// A call was rejected because the upstream's circuit breaker is open.
public struct CircuitBreakerOpenError: Error, Sendable, CustomStringConvertible {
  public let upstream: String
  public let retryAfter: Duration

  public var description: String { "circuit breaker for \(upstream) is open" }
}
