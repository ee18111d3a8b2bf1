import Foundation
import Logging
import RedisClient
import RedisProtocol
import Synchronization

/// The login throttle's counts in Redis, shared by every instance: one key per account or
/// client address (`login:<key>`), counted by a script that increments it and starts its
/// window's expiry on the first attempt, in one step, so parallel attempts each take a place.
/// While Redis cannot answer, the counts are this instance's own (``LocalLoginAttempts``).
public final class RedisLoginAttempts: LoginAttempts {
  /// KEYS[1] the count, ARGV[1] the window in milliseconds; answers `{attempts, ms left}`.
  static let countScript = RedisScript(
    """
    local attempts = redis.call('INCR', KEYS[1])
    local left = redis.call('PTTL', KEYS[1])
    if attempts == 1 or left < 0 then
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      left = tonumber(ARGV[1])
    end
    return {attempts, left}
    """)
  static let forgetScript = RedisScript(
    """
    if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
    return 0
    """)

  let redis: RedisClient
  let prefix: String
  let logger: Logger
  let local = LocalLoginAttempts()
  private let usingLocal = Atomic<Bool>(false)

  /// - Parameter prefix: before every key; tests give each run its own.
  public init(redis: RedisClient, prefix: String = "login:", logger: Logger) {
    self.redis = redis
    self.prefix = prefix
    self.logger = logger
  }

  public func count(_ key: String, window: Duration) async throws -> LoginThrottle.Count {
    let windowMs = window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000
    do {
      let answer = try await redis.evaluate(
        Self.countScript, keys: [prefix + key], arguments: [RESPArgument("\(windowMs)")])
      let values = (answer.array ?? []).compactMap { value -> Int64? in
        if case .integer(let number) = value { number } else { nil }
      }
      guard values.count == 2 else { throw RedisError.unexpectedReply("login count answered \(answer)") }
      shared()
      let elapsed = Double(windowMs - values[1]) / 1000
      return LoginThrottle.Count(attempts: Int(values[0]), windowStartedAt: Date().addingTimeInterval(-elapsed))
    } catch {
      alone(error)
      return local.count(key, window: window)
    }
  }

  public func forget(_ key: String) async throws {
    do {
      _ = try await redis.evaluate(Self.forgetScript, keys: [prefix + key])
      shared()
    } catch {
      alone(error)
      local.forget(key)
    }
  }

  public func clear(_ key: String) async throws {
    do {
      try await redis.send(["DEL", RESPArgument(prefix + key)])
      shared()
    } catch {
      alone(error)
      local.clear(key)
    }
  }

  private func shared() {
    if usingLocal.exchange(false, ordering: .relaxed) { logger.notice("login attempts counted in Redis again") }
  }

  private func alone(_ error: any Error) {
    if !usingLocal.exchange(true, ordering: .relaxed) {
      logger.warning(
        "Redis unavailable: login attempts counted by this instance alone", metadata: ["error.message": "\(error)"])
    }
  }
}
