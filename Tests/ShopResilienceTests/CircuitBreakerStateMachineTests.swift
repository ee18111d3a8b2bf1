import Testing

@testable import ShopResilience

@Suite struct CircuitBreakerStateMachineTests {
  let start = ContinuousClock.now
  let configuration = CircuitBreakerConfiguration(
    windowSize: 10, minimumCalls: 4, failureRateThreshold: 0.5, slowCallThreshold: .milliseconds(500),
    slowCallRateThreshold: 0.75, openDuration: .seconds(2), halfOpenProbes: 1)

  @Test func staysClosedBelowTheMinimumNumberOfCalls() {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    for _ in 0..<3 {
      #expect(machine.acquire(now: start) == .allowed)
      machine.record(.failure(.milliseconds(1)), now: start)
    }
    #expect(machine.state == .closed)
  }

  @Test func opensWhenTheFailureRateReachesTheThreshold() {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    machine.record(.success(.milliseconds(1)), now: start)
    machine.record(.success(.milliseconds(1)), now: start)
    machine.record(.failure(.milliseconds(1)), now: start)
    #expect(machine.state == .closed)
    machine.record(.failure(.milliseconds(1)), now: start)
    #expect(machine.state == .open(until: start + .seconds(2)))
    #expect(machine.acquire(now: start + .seconds(1)) == .rejected(retryAfter: start + .seconds(2)))
  }

  @Test func opensOnSlowCallsEvenWhenTheySucceed() {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    for _ in 0..<4 { machine.record(.success(.seconds(1)), now: start) }
    #expect(machine.state == .open(until: start + .seconds(2)))
  }

  @Test func halfOpenLetsOneProbeThroughAndClosesWhenItSucceeds() {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    for _ in 0..<4 { machine.record(.failure(.milliseconds(1)), now: start) }
    let later = start + .seconds(3)
    #expect(machine.acquire(now: later) == .allowed)
    #expect(machine.state == .halfOpen(inFlight: 1, succeeded: 0))
    guard case .rejected = machine.acquire(now: later) else {
      Issue.record("a second probe must be rejected while the first is in flight")
      return
    }
    machine.record(.success(.milliseconds(1)), now: later)
    #expect(machine.state == .closed)
  }

  @Test func aFailedProbeOpensAgain() {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    for _ in 0..<4 { machine.record(.failure(.milliseconds(1)), now: start) }
    let later = start + .seconds(3)
    #expect(machine.acquire(now: later) == .allowed)
    machine.record(.failure(.milliseconds(1)), now: later)
    #expect(machine.state == .open(until: later + .seconds(2)))
  }

  @Test func oldOutcomesLeaveTheWindow() {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    for _ in 0..<4 { machine.record(.failure(.milliseconds(1)), now: start) }
    _ = machine.acquire(now: start + .seconds(3))
    machine.record(.success(.milliseconds(1)), now: start + .seconds(3))
    // Closed with a clean window: three failures among ten successes do not trip it.
    for _ in 0..<7 { machine.record(.success(.milliseconds(1)), now: start) }
    for _ in 0..<3 { machine.record(.failure(.milliseconds(1)), now: start) }
    #expect(machine.state == .closed)
  }
}
