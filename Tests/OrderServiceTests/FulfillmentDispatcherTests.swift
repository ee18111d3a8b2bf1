import Foundation
import FulfillmentQueue
import Logging
import RedisClient
import RedisProtocol
import ShopTestSupport
import Testing

@testable import OrderService

/// The job outbox dispatched to the real Redis: one job per paid order, enqueued again only
/// when Redis lost it, taken off when the order is cancelled.
@Suite(.enabled(if: Infra.postgres && Infra.redis, "PostgreSQL or Redis is not reachable"))
struct FulfillmentDispatcherTests {
  let orders = OrderTransitionsTests()

  func dispatcher(_ stack: OrderTransitionsTests.Stack, _ queue: FulfillmentQueue) -> FulfillmentDispatcher<
    PostgresOrderStore
  > {
    FulfillmentDispatcher(
      store: stack.store, queue: queue, interval: .milliseconds(50), reenqueueAfter: .seconds(60),
      logger: Logger(label: "test.dispatch"))
  }

  func withQueue(_ body: @escaping @Sendable (OrderTransitionsTests.Stack, UUID, FulfillmentQueue) async throws -> Void)
    async throws
  {
    try await orders.withPaidOrder { stack, id in
      try await TestRedis.withPrefix { redis, prefix in
        try await body(stack, id, FulfillmentQueue(redis: redis, prefix: prefix))
      }
    }
  }

  @Test func aPaidOrderBecomesOneJobEvenWhenDispatchedAgain() async throws {
    try await withQueue { stack, id, queue in
      let dispatcher = dispatcher(stack, queue)
      #expect(try await dispatcher.dispatchDue() == 1)
      // Not due again until reenqueueAfter.
      #expect(try await dispatcher.dispatchDue() == 0)
      #expect(try await dispatcher.dispatchDue(now: Date().addingTimeInterval(61)) == 1)
      let entries = try await queue.redis.streamRange(queue.jobsKey, count: 10)
      #expect(entries.count == 1)
      let job = try FulfillmentJob(fields: try #require(entries.first).fields)
      #expect(job.orderID == id && job.lines.map(\.quantity) == [2] && job.country == "DE")
    }
  }

  @Test func aJobRedisLostIsEnqueuedAgain() async throws {
    try await withQueue { stack, id, queue in
      let dispatcher = dispatcher(stack, queue)
      _ = try await dispatcher.dispatchDue()
      // As if the last second of writes were lost: the entry and its marker are gone.
      try await queue.redis.send(["DEL", .init(queue.jobsKey), .init(queue.markerKey(id))])
      _ = try await dispatcher.dispatchDue(now: Date().addingTimeInterval(61))
      #expect(try await queue.redis.streamLength(queue.jobsKey) == 1)
    }
  }

  @Test func aCancelledOrdersJobIsTakenOffTheStream() async throws {
    try await withQueue { stack, id, queue in
      let dispatcher = dispatcher(stack, queue)
      _ = try await dispatcher.dispatchDue()
      try await queue.prepare()
      // A worker holds it.
      #expect(try await queue.read(consumer: "w", count: 10, block: .milliseconds(100)).count == 1)
      _ = try await stack.transitions.apply(.cancel, to: id, by: orders.customer)
      #expect(try await dispatcher.dispatchDue() == 1)
      #expect(try await queue.redis.streamLength(queue.jobsKey) == 0)
      #expect(try await queue.status().pending == 0)
      #expect(try await OrderPackingTests.job(stack.client, of: id) == nil)
      // Never enqueued again.
      #expect(try await dispatcher.dispatchDue(now: Date().addingTimeInterval(61)) == 0)
    }
  }

  @Test func withRedisDownTheJobWaitsAndGoesOutLater() async throws {
    try await orders.withPaidOrder { stack, id in
      // A port nobody listens on.
      try await TestRedis.with(port: try freeLoopbackPort()) { down in
        let queue = FulfillmentQueue(redis: down, prefix: "test-\(UUID().uuidString.prefix(8))")
        await #expect(throws: (any Error).self) { try await dispatcher(stack, queue).dispatchDue() }
      }
      #expect(try await OrderPackingTests.job(stack.client, of: id) == "pack")
      try await TestRedis.withPrefix { (redis: RedisClient, prefix: String) async throws in
        let queue = FulfillmentQueue(redis: redis, prefix: prefix)
        // Postponed by a second, not by reenqueueAfter.
        #expect(try await dispatcher(stack, queue).dispatchDue(now: Date().addingTimeInterval(2)) == 1)
        #expect(try await redis.streamLength(queue.jobsKey) == 1)
      }
    }
  }
}
