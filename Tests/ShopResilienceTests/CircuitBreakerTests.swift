import Testing

@testable import ShopResilience

@Suite struct CircuitBreakerTests {
  struct Unhealthy: Error {}
  struct BadRequest: Error {}

  @Test func rejectsAtOnceOnceOpen() async throws {
    let breaker = CircuitBreaker(
      name: "test", configuration: .init(windowSize: 4, minimumCalls: 2, openDuration: .seconds(60)),
      countsAsFailure: { $0 is Unhealthy })
    for _ in 0..<2 {
      await #expect(throws: Unhealthy.self) { try await breaker.run { throw Unhealthy() } }
    }
    let error = await #expect(throws: CircuitBreakerOpenError.self) {
      try await breaker.run { Issue.record("the upstream must not be called while open") }
    }
    #expect(error?.upstream == "test")
  }

  @Test func errorsAboutTheRequestDoNotOpenIt() async throws {
    let breaker = CircuitBreaker(
      name: "test", configuration: .init(windowSize: 4, minimumCalls: 2), countsAsFailure: { $0 is Unhealthy })
    for _ in 0..<5 {
      await #expect(throws: BadRequest.self) { try await breaker.run { throw BadRequest() } }
    }
    #expect(breaker.state == .closed)
    #expect(try await breaker.run { 42 } == 42)
  }
}
