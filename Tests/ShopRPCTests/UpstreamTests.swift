import GRPCCore
import ShopConfiguration
import ShopResilience
import Synchronization
import Testing

@testable import ShopRPC

/// The upstream client's choices, against instances that answer as told.
@Suite struct UpstreamTests {
  /// One instance: answers with its name, or throws what `failure` returns; counts its calls.
  final class FakeInstance: Sendable {
    let name: String
    let failure: @Sendable () -> (any Error)?
    let calls = Atomic(0)
    let lastOptions = Mutex<CallOptions?>(nil)

    init(_ name: String, failure: @escaping @Sendable () -> (any Error)? = { nil }) {
      self.name = name
      self.failure = failure
    }

    func call(_ options: CallOptions) throws -> String {
      calls.add(1, ordering: .relaxed)
      lastOptions.withLock { $0 = options }
      if let error = failure() { throw error }
      return name
    }

    var count: Int { calls.load(ordering: .relaxed) }
  }

  static func upstream(_ instances: FakeInstance..., timeout: Duration = .milliseconds(750)) -> Upstream<FakeInstance> {
    Upstream(name: "test", instances: instances.map { ($0.name, $0) }, timeout: timeout)
  }

  static let unavailable: @Sendable () -> (any Error)? = { RPCError(code: .unavailable, message: "down") }

  @Test func aDeadInstanceIsLeftOutWhileTheHealthyOneServesEveryCall() async throws {
    let dead = FakeInstance("dead", failure: Self.unavailable)
    let healthy = FakeInstance("healthy")
    let upstream = Self.upstream(dead, healthy)
    for _ in 0..<60 {
      #expect(try await upstream.idempotent { try $0.call($1) } == "healthy")
    }
    #expect(healthy.count == 60)
    // The breaker opens after its minimum of calls at a failure rate of one half.
    #expect(dead.count <= CircuitBreakerConfiguration().minimumCalls)
    #expect(!upstream.instances[0].breaker.admitsCalls && upstream.instances[1].breaker.admitsCalls)
  }

  @Test func aCallThatChangesStateIsNeverRepeated() async throws {
    let dead = FakeInstance("dead", failure: Self.unavailable)
    let healthy = FakeInstance("healthy")
    let upstream = Self.upstream(dead, healthy)
    await #expect(throws: RPCError.self) { try await upstream.once { try $0.call($1) } }
    #expect(dead.count == 1 && healthy.count == 0)
  }

  @Test func callsTakeTheInstancesInTurn() async throws {
    let a = FakeInstance("a")
    let b = FakeInstance("b")
    let upstream = Self.upstream(a, b)
    var answers: [String] = []
    for _ in 0..<6 { answers.append(try await upstream.once { try $0.call($1) }) }
    #expect(answers.sorted() == ["a", "a", "a", "b", "b", "b"])
    #expect(zip(answers, answers.dropFirst()).allSatisfy { $0 != $1 })
  }

  @Test func everyCallHasTheDeadlineAndDoesNotWaitForAConnection() async throws {
    let instance = FakeInstance("a")
    _ = try await Self.upstream(instance, timeout: .milliseconds(750)).idempotent { try $0.call($1) }
    let options = try #require(instance.lastOptions.withLock { $0 })
    #expect(options.timeout == .milliseconds(750))
    #expect(options.waitForReady == false)
  }

  @Test func anAnswerAboutTheRequestIsNeitherRetriedNorCountedAgainstTheInstance() async throws {
    let strict = FakeInstance("strict") { RPCError(code: .invalidArgument, message: "bad") }
    let upstream = Self.upstream(strict)
    for _ in 0..<10 {
      await #expect(throws: RPCError.self) { try await upstream.idempotent { try $0.call($1) } }
    }
    #expect(strict.count == 10)
    #expect(upstream.instances[0].breaker.state == .closed)
  }

  @Test func retriesStopWhenTheBudgetIsSpent() async throws {
    let dead = FakeInstance("dead", failure: Self.unavailable)
    let upstream = Upstream(
      name: "test", instances: [("dead", dead)], timeout: .seconds(1),
      breaker: CircuitBreakerConfiguration(minimumCalls: 1000, failureRateThreshold: 1),
      retryPolicy: RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1)),
      retryBudget: RetryBudget(ratio: 0, minimumRetries: 3))
    for _ in 0..<4 {
      await #expect(throws: RPCError.self) { try await upstream.idempotent { try $0.call($1) } }
    }
    #expect(dead.count == 4 + 3, "one attempt per call, and the three retries the budget holds")
  }

  @Test func theConfigurationNamesEveryInstanceAndTheDeadline() throws {
    let config = ShopConfig.reader(
      arguments: ["--order-address", "10.0.0.1:50053, order-2.internal:50063", "--order-timeout-ms", "1500"],
      environment: [:])
    let order = try UpstreamConfiguration(config: config, name: "order", defaultAddress: "127.0.0.1:50053")
    #expect(
      order
        == UpstreamConfiguration(
          targets: [.ipv4(host: "10.0.0.1", port: 50053), .dns(host: "order-2.internal", port: 50063)],
          timeout: .milliseconds(1500)))
    let fromEnvironment = try UpstreamConfiguration(
      config: ShopConfig.reader(environment: ["SHOP_ORDER_ADDRESS": "10.0.0.1:50053,order-2.internal:50063"]),
      name: "order", defaultAddress: "127.0.0.1:50053")
    #expect(fromEnvironment.targets.map(\.description) == ["10.0.0.1:50053", "dns:///order-2.internal:50063"])
    let user = try UpstreamConfiguration(config: config, name: "user", defaultAddress: "127.0.0.1:50051")
    #expect(user == UpstreamConfiguration(targets: [.ipv4(host: "127.0.0.1", port: 50051)], timeout: .seconds(2)))
    #expect(throws: (any Error).self) {
      try UpstreamConfiguration(
        config: ShopConfig.reader(arguments: ["--user-timeout-ms", "0"], environment: [:]), name: "user",
        defaultAddress: "127.0.0.1:50051")
    }
    #expect(throws: (any Error).self) {
      try UpstreamConfiguration(
        config: ShopConfig.reader(arguments: ["--user-address", " , "], environment: [:]), name: "user",
        defaultAddress: "127.0.0.1:50051")
    }
  }
}
