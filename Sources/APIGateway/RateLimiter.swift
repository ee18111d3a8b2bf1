import Foundation
import Logging
import Metrics
import RedisClient
import RedisProtocol
import Synchronization

/// Decides every request's rate limit with one script call to Redis, so that every gateway
/// instance shares the same quotas. While Redis cannot answer within its short timeouts,
/// each instance decides alone with ``LocalRateLimiter`` at the same policy: a client then
/// gets up to one quota per instance, and is never refused for Redis being away.
public final class RateLimiter: Sendable {
  /// GCRA (see ``GCRA``) on Redis's clock: KEYS[1] the caller's key, ARGV the quota and the
  /// window in milliseconds. Answers `{allowed, remaining, retry after ms, reset ms}`.
  static let script = RedisScript(
    """
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    local quota = tonumber(ARGV[1])
    local window = tonumber(ARGV[2])
    local interval = window / quota
    local tat = tonumber(redis.call('GET', KEYS[1]) or now)
    if tat < now then tat = now end
    local next = tat + interval
    local allowed_at = next - window
    if now < allowed_at then
      return {0, 0, math.ceil(allowed_at - now), math.ceil(tat - now)}
    end
    redis.call('SET', KEYS[1], string.format('%.3f', next), 'PX', math.ceil(next - now))
    return {1, math.floor((window - (next - now)) / interval), 0, math.ceil(next - now)}
    """)

  let redis: RedisClient?
  let local = LocalRateLimiter()
  let logger: Logger
  private let usingLocal = Atomic<Bool>(false)

  /// - Parameter redis: the shared store; nil decides locally only.
  public init(redis: RedisClient?, logger: Logger) {
    self.redis = redis
    self.logger = logger
  }

  public func decide(key: String, policy: RateLimitPolicy) async -> RateLimitDecision {
    let decision: RateLimitDecision
    if let redis, let shared = await shared(redis, key: key, policy: policy) {
      decision = shared
    } else {
      decision = local.decide(key: key, policy: policy)
    }
    if !decision.allowed {
      Counter(label: "gateway_rate_limited_total", dimensions: [("policy", policy.name)]).increment()
    }
    return decision
  }

  private func shared(_ redis: RedisClient, key: String, policy: RateLimitPolicy) async -> RateLimitDecision? {
    do {
      let answer = try await redis.evaluate(
        Self.script, keys: ["ratelimit:\(policy.name):\(key)"],
        arguments: [RESPArgument("\(policy.quota)"), RESPArgument("\(Int(policy.windowMilliseconds))")])
      let values = (answer.array ?? []).compactMap { value -> Int64? in
        if case .integer(let number) = value { number } else { nil }
      }
      guard values.count == 4 else {
        throw RedisError.unexpectedReply("rate limit script answered \(answer)")
      }
      if usingLocal.exchange(false, ordering: .relaxed) {
        logger.notice("rate limits shared through Redis again")
      }
      return RateLimitDecision(
        allowed: values[0] == 1, remaining: Int(values[1]), retryAfterMilliseconds: Double(values[2]),
        resetMilliseconds: Double(values[3]))
    } catch {
      if !usingLocal.exchange(true, ordering: .relaxed) {
        logger.warning(
          "Redis unavailable: rate limits decided by this instance alone",
          metadata: ["error.message": "\(error)"])
      }
      return nil
    }
  }
}

/// GCRA in this process's memory, for while Redis is away.
final class LocalRateLimiter: Sendable {
  /// Keys are dropped once their TAT has passed (a caller who waited a window is new again),
  /// at most this many kept.
  static let capacity = 100_000
  private let tats = Mutex<[String: Double]>([:])

  func decide(key: String, policy: RateLimitPolicy, now: Date = Date()) -> RateLimitDecision {
    let millis = now.timeIntervalSince1970 * 1000
    let compound = "\(policy.name):\(key)"
    return tats.withLock { tats in
      if tats.count >= Self.capacity { tats = tats.filter { $0.value > millis } }
      let (decision, next) = GCRA.decide(storedTAT: tats[compound], now: millis, policy: policy)
      if let next, tats.count < Self.capacity || tats[compound] != nil { tats[compound] = next }
      return decision
    }
  }
}
