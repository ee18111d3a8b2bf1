import Crypto
import Foundation

/// What a request that carries an idempotency key does, given what the key has seen.
public enum IdempotencyDecision: Sendable, Equatable {
  /// The key is this request's: run it, then store its response (or release the key).
  case proceed
  /// The first request with the key died with its process before it answered: run it again,
  /// knowing it may have done part of its work (what it made can be looked up by the key).
  case takeOver
  /// The same request finished before: answer with its response, do nothing again.
  case replay(StoredResponse)
  /// The key was used for another request: `422 idempotency_key_reused`.
  case reused
  /// The first request with this key still runs: `409 idempotency_key_in_use`, to be retried
  /// after this many seconds.
  case inUse(retryAfterSeconds: Int)

  /// What the key's row (if any) says of a request with `fingerprint`. A lock that has run
  /// out belongs to a request that died with its process; the key is then taken over.
  public static func decide(
    existing: IdempotencyRecord?, fingerprint: String, now: Date
  ) -> IdempotencyDecision {
    guard let existing else { return .proceed }
    guard existing.fingerprint == fingerprint else { return .reused }
    if let response = existing.response { return .replay(response) }
    if let lockedUntil = existing.lockedUntil, lockedUntil > now {
      return .inUse(retryAfterSeconds: max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up))))
    }
    return .takeOver
  }

  /// A digest of what makes two requests the same request: the method, the path and the
  /// body's bytes.
  public static func fingerprint(method: String, path: String, body: some DataProtocol) -> String {
    var hash = SHA256()
    hash.update(data: Data("\(method) \(path)\n".utf8))
    hash.update(data: Data(body))
    return hash.finalize().map { String(format: "%02x", $0) }.joined()
  }
}

/// A key's row: the first request's fingerprint, its lock while it runs, its response once done.
public struct IdempotencyRecord: Sendable, Equatable {
  public var fingerprint: String
  public var lockedUntil: Date?
  public var response: StoredResponse?

  public init(fingerprint: String, lockedUntil: Date?, response: StoredResponse?) {
    self.fingerprint = fingerprint
    self.lockedUntil = lockedUntil
    self.response = response
  }
}
