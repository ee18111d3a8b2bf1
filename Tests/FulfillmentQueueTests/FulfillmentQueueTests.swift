import Foundation
import RedisClient
import ShopTestSupport
import Testing

@testable import FulfillmentQueue

/// The job streams in the real Redis, each test under a prefix of its own.
@Suite(.enabled(if: Infra.redis, "Redis is not reachable"))
struct FulfillmentQueueTests {
  static func withQueue(_ body: @escaping @Sendable (FulfillmentQueue) async throws -> Void) async throws {
    try await TestRedis.withPrefix { redis, prefix in
      try await body(FulfillmentQueue(redis: redis, prefix: prefix))
    }
  }

  static func job(_ order: UUID = UUID()) -> FulfillmentJob {
    FulfillmentJob(orderID: order, lines: [.init(productID: UUID(), name: "Lamp", quantity: 1)], country: "DE")
  }

  @Test func anOrderGetsOneJobHoweverOftenItIsEnqueued() async throws {
    try await Self.withQueue { queue in
      let job = Self.job()
      let id = try await queue.enqueue(job)
      #expect(id != nil)
      #expect(try await queue.enqueue(job) == nil)
      // At once, from several dispatchers.
      let again = try await withThrowingTaskGroup(of: String?.self) { group in
        for _ in 0..<8 { group.addTask { try await queue.enqueue(job) } }
        return try await group.reduce(into: [String?]()) { $0.append($1) }
      }
      #expect(again.allSatisfy { $0 == nil })
      #expect(try await queue.redis.streamLength(queue.jobsKey) == 1)
    }
  }

  @Test func readAcknowledgeAndClaimFollowTheConsumerGroup() async throws {
    try await Self.withQueue { queue in
      try await queue.enqueue(Self.job())
      try await queue.enqueue(Self.job())
      try await queue.prepare()
      try await queue.prepare()
      let read = try await queue.read(consumer: "a", count: 10, block: .milliseconds(100))
      #expect(read.count == 2)
      #expect(try await queue.read(consumer: "b", count: 10, block: .milliseconds(100)).isEmpty)
      try await queue.acknowledge(read[0].id)
      var status = try await queue.status()
      #expect(status.length == 1 && status.pending == 1 && status.pendingByConsumer == ["a": 1])
      #expect(status.oldestPendingAge != nil)
      // Not idle long enough yet, then taken over by b.
      #expect(try await queue.claim(consumer: "b", idle: .seconds(60), count: 10).isEmpty)
      try await Task.sleep(for: .milliseconds(150))
      let claimed = try await queue.claim(consumer: "b", idle: .milliseconds(100), count: 10)
      #expect(claimed.map(\.id) == [read[1].id] && claimed.first?.fields == read[1].fields)
      status = try await queue.status()
      #expect(status.pendingByConsumer == ["b": 1])
    }
  }

  @Test func aJobThatFailedTooOftenIsBuriedOnceAndRetriedFromTheDead() async throws {
    try await Self.withQueue { queue in
      let job = Self.job()
      try await queue.enqueue(job)
      try await queue.prepare()
      let entry = try #require(try await queue.read(consumer: "a", count: 1, block: .milliseconds(100)).first)
      #expect(try await queue.recordFailure(entry.id, error: "one") == 1)
      #expect(try await queue.recordFailure(entry.id, error: "two") == 2)
      try await queue.bury(entry, error: "two", attempts: 2)
      // A second worker burying the same job (it claimed it meanwhile) adds nothing.
      try await queue.bury(entry, error: "two", attempts: 2)
      var status = try await queue.status()
      #expect(status.length == 0 && status.pending == 0 && status.deadCount == 1)
      // The metrics read the counts alone.
      let counts = try await queue.status(deadListed: 0)
      #expect(counts.deadCount == 1 && counts.dead.isEmpty)
      let dead = try #require(status.dead.first)
      #expect(dead.fields["error"] == "two" && dead.fields["attempts"] == "2" && dead.fields["job_id"] == entry.id)
      #expect(try FulfillmentJob(fields: dead.fields) == job)

      #expect(try await queue.retryDead() == 1)
      status = try await queue.status()
      #expect(status.deadCount == 0 && status.length == 1)
      let back = try #require(try await queue.read(consumer: "a", count: 1, block: .milliseconds(100)).first)
      #expect(try FulfillmentJob(fields: back.fields) == job && back.fields["error"] == nil)
      // Its attempts start again.
      #expect(try await queue.recordFailure(back.id, error: "again") == 1)
    }
  }

  @Test func droppingAJobTakesItOffWhetherPendingOrNot() async throws {
    try await Self.withQueue { queue in
      let (waiting, held) = (Self.job(), Self.job())
      try await queue.enqueue(held)
      try await queue.prepare()
      _ = try await queue.read(consumer: "a", count: 1, block: .milliseconds(100))
      try await queue.enqueue(waiting)
      #expect(try await queue.drop(orderID: held.orderID))
      #expect(try await queue.drop(orderID: waiting.orderID))
      #expect(try await queue.drop(orderID: UUID()) == false)
      let status = try await queue.status()
      #expect(status.length == 0 && status.pending == 0)
      // The marker stays: a dropped job is not enqueued again.
      #expect(try await queue.enqueue(held) == nil)
    }
  }
}
