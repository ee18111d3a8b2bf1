import Foundation
import Logging
import RedisClient
import ShopTestSupport
import Testing

@testable import OrderService

/// Carts in the real Redis.
@Suite(.enabled(if: Infra.redis, "Redis is not reachable"))
struct RedisCartStoreTests {
  static func withStore<T: Sendable>(
    port: Int = Infra.redisPort, leaseTimeout: Duration = .seconds(3), idleExpiry: Duration = .seconds(30 * 24 * 3600),
    _ body: @escaping @Sendable (RedisCartStore) async throws -> T
  ) async throws -> T {
    try await ServerLock.redis.steady {
      try await withDeadline(.seconds(60)) {
        let redis = RedisClient(
          configuration: RedisConfiguration(
            host: Infra.redisHost, port: port, poolSize: 2, leaseTimeout: leaseTimeout,
            commandTimeout: .seconds(3)),
          logger: Logger(label: "test.carts"))
        return try await withThrowingTaskGroup(of: T?.self) { group in
          group.addTask {
            try await redis.run()
            return nil
          }
          defer { group.cancelAll() }
          return try await body(RedisCartStore(redis: redis, idleExpiry: idleExpiry))
        }
      }
    }
  }

  @Test func linesAreSetChangedAndRemovedOneByOne() async throws {
    try await Self.withStore { carts in
      let user = UUID()
      let (lamp, desk) = (UUID(), UUID())
      try await carts.set(2, of: lamp, for: user)
      try await carts.set(1, of: desk, for: user)
      try await carts.set(3, of: lamp, for: user)
      #expect(try await carts.lines(of: user) == [lamp: 3, desk: 1])
      try await carts.remove(desk, for: user)
      #expect(try await carts.lines(of: user) == [lamp: 3])
      try await carts.clear(for: user)
      #expect(try await carts.lines(of: user).isEmpty)
    }
  }

  @Test func changesOfDifferentLinesAtOnceAllHold() async throws {
    try await Self.withStore { carts in
      let user = UUID()
      let products = (0..<40).map { _ in UUID() }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, product) in products.enumerated() {
          group.addTask { try await carts.set(Int64(index + 1), of: product, for: user) }
        }
        try await group.waitForAll()
      }
      let lines = try await carts.lines(of: user)
      #expect(lines.count == 40 && products.enumerated().allSatisfy { lines[$1] == Int64($0 + 1) })
      try await carts.clear(for: user)
    }
  }

  @Test func aCartLeftAloneExpires() async throws {
    try await Self.withStore(idleExpiry: .seconds(1)) { carts in
      let user = UUID()
      try await carts.set(1, of: UUID(), for: user)
      #expect(try await carts.lines(of: user).count == 1)
      // Watched without reading it, since every read starts its idle time again.
      let key = RedisCartStore.key(user)
      let deadline = ContinuousClock.now + .seconds(10)
      while try await carts.redis.exists(key) > 0, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(try await carts.lines(of: user).isEmpty)
    }
  }

  @Test func aRedisThatCannotBeReachedIsUnavailableQuickly() async throws {
    let port = try freeLoopbackPort()
    try await Self.withStore(port: port, leaseTimeout: .milliseconds(300)) { carts in
      let began = ContinuousClock.now
      await #expect(throws: OrderError.unavailable("the cart store")) { try await carts.lines(of: UUID()) }
      #expect(ContinuousClock.now - began < .seconds(2))
    }
  }
}
