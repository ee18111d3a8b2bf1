import Foundation
import Logging
import RedisClient
import RedisProtocol
import ShopTestSupport
import Testing

@testable import APIGateway

@Suite struct LocalRateLimiterTests {
  @Test func eachKeyHasItsOwnQuota() {
    let limiter = LocalRateLimiter()
    let policy = RateLimitPolicy(name: "client", quota: 2, window: .seconds(60))
    let now = Date()
    #expect([1, 2, 3].map { _ in limiter.decide(key: "a", policy: policy, now: now).allowed } == [true, true, false])
    #expect(limiter.decide(key: "b", policy: policy, now: now).allowed)
    #expect(limiter.decide(key: "a", policy: policy, now: now.addingTimeInterval(30)).allowed)
  }
}

/// The shared limiter against the stack's Redis, each test with keys of its own.
@Suite(.enabled(if: Infra.redis), .timeLimit(.minutes(1)))
struct RateLimiterTests {
  let key = "test-\(UUID().uuidString.prefix(8))"

  @Test func twoGatewaysShareOneQuotaThroughRedis() async throws {
    let key = self.key
    try await TestRedis.with { redis in
      let first = RateLimiter(redis: redis, logger: Logger(label: "test"))
      let second = RateLimiter(redis: redis, logger: Logger(label: "test"))
      let policy = RateLimitPolicy(name: "user", quota: 4, window: .seconds(60))
      var decisions: [RateLimitDecision] = []
      for index in 0..<6 {
        decisions.append(await (index.isMultiple(of: 2) ? first : second).decide(key: key, policy: policy))
      }
      #expect(decisions.map(\.allowed) == [true, true, true, true, false, false])
      #expect(decisions.map(\.remaining) == [3, 2, 1, 0, 0, 0])
      // The script's answer is the GCRA's: the next request in one interval (15 s).
      #expect((14_000...15_000).contains(decisions[4].retryAfterMilliseconds))
      #expect((59_000...60_000).contains(decisions[3].resetMilliseconds))
      _ = try await redis.send(["DEL", "ratelimit:user:\(key)"])
    }
  }

  @Test func theStateExpiresWithItsWindow() async throws {
    let key = self.key
    try await TestRedis.with { redis in
      let limiter = RateLimiter(redis: redis, logger: Logger(label: "test"))
      _ = await limiter.decide(key: key, policy: RateLimitPolicy(name: "user", quota: 10, window: .seconds(2)))
      let ttl = try await redis.send(["PTTL", "ratelimit:user:\(key)"])
      guard case .integer(let milliseconds) = ttl else {
        Issue.record("no TTL: \(ttl)")
        return
      }
      #expect((1...200).contains(milliseconds))
    }
  }

  @Test func withoutRedisTheInstanceDecidesAloneAtTheSamePolicy() async throws {
    let redis = try TestRedis.unreachable()
    let limiter = RateLimiter(redis: redis, logger: Logger(label: "test"))
    let policy = RateLimitPolicy(name: "client", quota: 2, window: .seconds(60))
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await redis.run() }
      let clock = ContinuousClock()
      let start = clock.now
      var allowed: [Bool] = []
      for _ in 0..<3 { allowed.append(await limiter.decide(key: key, policy: policy).allowed) }
      #expect(allowed == [true, true, false])
      #expect(clock.now - start < .seconds(2))
      group.cancelAll()
    }
  }
}
