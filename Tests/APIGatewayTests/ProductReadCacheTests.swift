import Foundation
import GRPCCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RedisClient
import RedisProtocol
import ShopTestSupport
import Testing

@testable import APIGateway

@Suite struct ProductReadCacheKeyTests {
  @Test func aSearchIsKeptUnderItsQueryInAnyOrder() {
    let key = ProductReadCache.searchKey([("q", "laptop"), ("limit", "5")])
    #expect(key == ProductReadCache.searchKey([("limit", "5"), ("q", "laptop")]))
    #expect(key != ProductReadCache.searchKey([("q", "laptop"), ("limit", "6")]))
    #expect(key.hasPrefix("cache:search:"))
  }
}

/// Against the stack's Redis, each test with a key of its own.
@Suite(.enabled(if: Infra.redis), .timeLimit(.minutes(1)))
struct ProductReadCacheTests {
  let key = "test-cache-\(UUID().uuidString.prefix(8))"

  @Test func aFreshReadIsAnsweredAndKeptAndTheKeptOneServedOnlyWhileTheServiceIsUnavailable() async throws {
    let key = self.key
    try await TestRedis.with { redis in
      let cache = ProductReadCache(redis: redis, ttl: .seconds(30), logger: Logger(label: "test"))
      let fresh = try await cache.answer(key) { ByteBuffer(string: #"{"v":1}"#) }
      #expect(fresh.body == ByteBuffer(string: #"{"v":1}"#) && !fresh.stale)
      try await waitUntil { try await redis.getString(key) == #"{"v":1}"# }
      // While the service answers, its answer is the one served.
      let newer = try await cache.answer(key) { ByteBuffer(string: #"{"v":2}"#) }
      #expect(newer.body == ByteBuffer(string: #"{"v":2}"#) && !newer.stale)
      try await waitUntil { try await redis.getString(key) == #"{"v":2}"# }

      for failure in [
        RPCError(code: .unavailable, message: "down"), RPCError(code: .deadlineExceeded, message: "slow"),
      ] {
        let kept = try await cache.answer(key) { throw failure }
        #expect(kept.body == ByteBuffer(string: #"{"v":2}"#) && kept.stale)
      }
      _ = try await redis.send(["DEL", .init(key)])
    }
  }

  @Test func aReadNotKeptIsA503AndAnAnswerAboutTheRequestIsNeverReplacedByAKeptOne() async throws {
    let key = self.key
    try await TestRedis.with { redis in
      let cache = ProductReadCache(redis: redis, ttl: .seconds(30), logger: Logger(label: "test"))
      await #expect(throws: APIProblem.serviceUnavailable("the catalog is temporarily unavailable; retry shortly")) {
        try await cache.answer(key) { throw RPCError(code: .unavailable, message: "down") }
      }
      _ = try await cache.answer(key) { ByteBuffer(string: "{}") }
      try await waitUntil { try await redis.getString(key) == "{}" }
      await #expect(throws: RPCError.self) {
        try await cache.answer(key) { throw RPCError(code: .notFound, message: "no such product") }
      }
      _ = try await redis.send(["DEL", .init(key)])
    }
  }
}
