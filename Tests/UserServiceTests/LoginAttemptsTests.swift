import Foundation
import Logging
import RedisClient
import RedisProtocol
import ShopTestSupport
import Testing

@testable import UserService

@Suite struct LocalLoginAttemptsTests {
  @Test func aWindowCountsFromItsFirstAttemptAndAnotherBeginsOnceItIsOver() async throws {
    let attempts = LocalLoginAttempts()
    let first = attempts.count("a", window: .milliseconds(200))
    #expect(attempts.count("a", window: .milliseconds(200)).attempts == 2)
    #expect(attempts.count("a", window: .milliseconds(200)).windowStartedAt == first.windowStartedAt)
    #expect(attempts.count("b", window: .milliseconds(200)).attempts == 1)
    try await Task.sleep(for: .milliseconds(250))
    #expect(attempts.count("a", window: .milliseconds(200)).attempts == 1)
  }

  @Test func forgettingTakesOneOffAndClearingDropsTheCount() {
    let attempts = LocalLoginAttempts()
    for _ in 0..<3 { _ = attempts.count("a", window: .seconds(60)) }
    attempts.forget("a")
    #expect(attempts.count("a", window: .seconds(60)).attempts == 3)
    attempts.clear("a")
    #expect(attempts.count("a", window: .seconds(60)).attempts == 1)
    attempts.forget("never")
  }
}

/// Against the stack's Redis, under a prefix of each test's own.
@Suite(.enabled(if: Infra.redis), .timeLimit(.minutes(1)))
struct RedisLoginAttemptsTests {
  @Test func countsAreSharedByEveryInstanceAndExpireWithTheirWindow() async throws {
    try await TestRedis.withPrefix { redis, prefix in
      let one = RedisLoginAttempts(redis: redis, prefix: prefix + ":", logger: Logger(label: "test"))
      let other = RedisLoginAttempts(redis: redis, prefix: prefix + ":", logger: Logger(label: "test"))
      let first = try await one.count("account:x", window: .seconds(60))
      let second = try await other.count("account:x", window: .seconds(60))
      #expect(first.attempts == 1 && second.attempts == 2)
      #expect(abs(second.windowStartedAt.timeIntervalSince(first.windowStartedAt)) < 1)
      let ttl = try await redis.send(["PTTL", RESPArgument(prefix + ":account:x")])
      guard case .integer(let milliseconds) = ttl else {
        Issue.record("no expiry: \(ttl)")
        return
      }
      #expect((58_000...60_000).contains(milliseconds))
      try await other.forget("account:x")
      #expect(try await one.count("account:x", window: .seconds(60)).attempts == 2)
      try await one.clear("account:x")
      #expect(try await one.count("account:x", window: .seconds(60)).attempts == 1)
    }
  }

  /// Attempts made at once each take a place: none is lost, none counted twice.
  @Test func parallelAttemptsEachGetTheirOwnCount() async throws {
    try await TestRedis.withPrefix(poolSize: 4) { redis, prefix in
      let attempts = RedisLoginAttempts(redis: redis, prefix: prefix + ":", logger: Logger(label: "test"))
      let counts = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<40 { group.addTask { try await attempts.count("client:10.0.0.9", window: .seconds(60)).attempts } }
        var counts: [Int] = []
        for try await count in group { counts.append(count) }
        return counts
      }
      #expect(counts.sorted() == Array(1...40))
    }
  }

  @Test func forgettingNeverGoesBelowNothing() async throws {
    try await TestRedis.withPrefix { redis, prefix in
      let attempts = RedisLoginAttempts(redis: redis, prefix: prefix + ":", logger: Logger(label: "test"))
      try await attempts.forget("client:none")
      #expect(try await attempts.count("client:none", window: .seconds(60)).attempts == 1)
    }
  }

  @Test func withoutRedisTheInstanceCountsAlone() async throws {
    let redis = try TestRedis.unreachable()
    let attempts = RedisLoginAttempts(redis: redis, logger: Logger(label: "test"))
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await redis.run() }
      #expect(try await attempts.count("account:y", window: .seconds(60)).attempts == 1)
      #expect(try await attempts.count("account:y", window: .seconds(60)).attempts == 2)
      try await attempts.clear("account:y")
      #expect(try await attempts.count("account:y", window: .seconds(60)).attempts == 1)
      group.cancelAll()
    }
  }
}
