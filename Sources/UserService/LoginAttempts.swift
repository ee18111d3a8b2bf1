import Foundation
import Synchronization

/// Where the login throttle counts attempts: one count per key and window, the window
/// beginning with the key's first attempt.
public protocol LoginAttempts: Sendable {
  /// Counts one attempt of `key` in one atomic step, and returns its window's count, this
  /// attempt included.
  func count(_ key: String, window: Duration) async throws -> LoginThrottle.Count
  /// Takes one attempt off `key`'s count.
  func forget(_ key: String) async throws
  /// Drops `key`'s count.
  func clear(_ key: String) async throws
}

/// Attempts counted in this process's memory: what ``RedisLoginAttempts`` falls back to
/// while Redis is away, so that each instance still throttles at the same policy alone.
public final class LocalLoginAttempts: LoginAttempts {
  /// Counts whose window has passed are dropped once this many are kept.
  static let capacity = 100_000
  private let counts = Mutex<[String: (attempts: Int, start: Date, end: Date)]>([:])

  public init() {}

  public func count(_ key: String, window: Duration) -> LoginThrottle.Count {
    let now = Date()
    return counts.withLock { counts in
      if counts.count >= Self.capacity { counts = counts.filter { $0.value.end > now } }
      var entry =
        counts[key].flatMap { $0.end > now ? $0 : nil } ?? (attempts: 0, start: now, end: now + window / .seconds(1))
      entry.attempts += 1
      counts[key] = entry
      return LoginThrottle.Count(attempts: entry.attempts, windowStartedAt: entry.start)
    }
  }

  public func forget(_ key: String) {
    counts.withLock { counts in
      if let entry = counts[key] { counts[key] = (max(0, entry.attempts - 1), entry.start, entry.end) }
    }
  }

  public func clear(_ key: String) {
    _ = counts.withLock { $0.removeValue(forKey: key) }
  }
}
