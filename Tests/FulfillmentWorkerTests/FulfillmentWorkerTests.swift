import Foundation
import FulfillmentQueue
import Logging
import RedisClient
import ShopResilience
import ShopTestSupport
import Synchronization
import Testing

@testable import FulfillmentWorker

/// Workers on the real Redis with the order service in memory: jobs packed and acknowledged,
/// jobs left by a dead worker claimed, poison jobs buried, outages waited out.
@Suite(.enabled(if: Infra.redis, "Redis is not reachable"))
struct FulfillmentWorkerTests {
  /// The order service as the worker sees it: every report, and a failure to give.
  final class FakeReport: PackingReport {
    struct State {
      var reports: [UUID] = []
      var failure: PackFailure?
      var outcome: PackOutcome = .packed
      var calls = 0
    }
    let state = Mutex(State())

    func packed(_ orderID: UUID, plan: PackingPlan) async throws(PackFailure) -> PackOutcome {
      let answer = state.withLock { state -> Result<PackOutcome, PackFailure> in
        state.calls += 1
        if let failure = state.failure { return .failure(failure) }
        state.reports.append(orderID)
        return .success(state.outcome)
      }
      return try answer.get()
    }

    var reports: [UUID] { state.withLock { $0.reports } }
  }

  static func options(_ consumer: String, maxAttempts: Int = 3, claimIdle: Duration = .seconds(30))
    -> FulfillmentWorker<FakeReport>.Options
  {
    .init(
      consumer: consumer, claimIdle: claimIdle, maxAttempts: maxAttempts, block: .milliseconds(200),
      warehouses: try! Warehouses(), backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50)))
  }

  /// Runs `body` with workers of `options` over a queue of its own, then stops them.
  static func withWorkers(
    _ options: [FulfillmentWorker<FakeReport>.Options], report: FakeReport = FakeReport(),
    before: @escaping @Sendable (FulfillmentQueue) async throws -> Void = { _ in },
    _ body: @escaping @Sendable (FulfillmentQueue) async throws -> Void
  ) async throws {
    try await TestRedis.withPrefix(poolSize: 4) { redis, prefix in
      let queue = FulfillmentQueue(redis: redis, prefix: prefix)
      try await queue.prepare()
      try await before(queue)
      let workers = options.map {
        FulfillmentWorker(queue: queue, report: report, options: $0, logger: Logger(label: "test.worker"))
      }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in workers { group.addTask { try await worker.run() } }
        defer { group.cancelAll() }
        try await body(queue)
      }
    }
  }

  static func job() -> FulfillmentJob {
    FulfillmentJob(orderID: UUID(), lines: [.init(productID: UUID(), name: "Lamp", quantity: 1)], country: "DE")
  }

  /// Until nothing is on the stream or pending.
  static func drained(_ queue: FulfillmentQueue) async throws {
    try await waitUntil {
      let status = try await queue.status()
      return status.length == 0 && status.pending == 0
    }
  }

  @Test func twoWorkersPackEveryJobOnceAndAcknowledgeIt() async throws {
    let report = FakeReport()
    try await Self.withWorkers([Self.options("a"), Self.options("b")], report: report) { queue in
      let jobs = (0..<40).map { _ in Self.job() }
      for job in jobs { try await queue.enqueue(job) }
      try await Self.drained(queue)
      #expect(
        report.reports.sorted { $0.uuidString < $1.uuidString }
          == jobs.map(\.orderID).sorted {
            $0.uuidString < $1.uuidString
          })
      #expect(try await queue.status().deadCount == 0)
    }
  }

  @Test func aJobLeftPendingByADeadWorkerIsClaimedAndPacked() async throws {
    let report = FakeReport()
    let job = Self.job()
    try await Self.withWorkers(
      [Self.options("alive", claimIdle: .milliseconds(300))], report: report,
      before: { queue in
        // A worker that read the job and died before acknowledging it.
        try await queue.enqueue(job)
        #expect(try await queue.read(consumer: "dead", count: 1, block: .milliseconds(100)).count == 1)
      }
    ) { queue in
      try await Self.drained(queue)
      #expect(report.reports == [job.orderID])
    }
  }

  @Test func aPoisonJobIsBuriedAfterMaxAttemptsWithItsError() async throws {
    let report = FakeReport()
    report.state.withLock { $0.failure = .permanent("no such order") }
    try await Self.withWorkers([Self.options("a", maxAttempts: 3), Self.options("b", maxAttempts: 3)], report: report) {
      queue in
      let job = Self.job()
      try await queue.enqueue(job)
      try await waitUntil { try await queue.status().deadCount == 1 }
      let status = try await queue.status()
      #expect(status.length == 0 && status.pending == 0)
      let dead = try #require(status.dead.first)
      #expect(dead.fields["error"] == "no such order" && dead.fields["attempts"] == "3")
      #expect(dead.fields["order_id"] == job.orderID.uuidString.lowercased())
    }
  }

  @Test func aJobThatCannotBeReadIsBuriedToo() async throws {
    try await Self.withWorkers([Self.options("a", maxAttempts: 2)]) { queue in
      try await queue.redis.streamAdd(queue.jobsKey, fields: [("order_id", "garbage")])
      try await waitUntil { try await queue.status().deadCount == 1 }
      #expect(try await queue.status().dead.first?.fields["error"] == "the job names no order (order_id)")
    }
  }

  @Test func anOrderServiceOutageIsWaitedOutWithoutCountingAttempts() async throws {
    let report = FakeReport()
    report.state.withLock { $0.failure = .transient("unavailable") }
    try await Self.withWorkers([Self.options("a", maxAttempts: 1)], report: report) { queue in
      let job = Self.job()
      try await queue.enqueue(job)
      // Many tries, none counted: with maxAttempts 1 a counted one would bury it.
      try await waitUntil { report.state.withLock { $0.calls } >= 5 }
      let waiting = try await queue.status()
      #expect(waiting.deadCount == 0 && waiting.pending == 1)
      report.state.withLock { $0.failure = nil }
      try await Self.drained(queue)
      #expect(report.reports == [job.orderID])
      #expect(try await queue.status().deadCount == 0)
    }
  }
}
