import Foundation
import Logging
import NIOCore
import PostgresNIO
import ShopPersistence

/// Idempotency keys in the service's own PostgreSQL database (`IdempotencySchema`): they
/// outlive a restart of every process. Each key belongs to a scope (the caller), so two
/// callers' equal keys are independent.
public struct PostgresIdempotencyStore: Sendable {
  let client: PostgresClient
  let logger: Logger
  /// How long a running request holds its key before another may take it over.
  public var lock: Duration

  public init(client: PostgresClient, lock: Duration = .seconds(60), logger: Logger) {
    self.client = client
    self.lock = lock
    self.logger = logger
  }

  /// Claims the key for a request with `fingerprint`, or says why not. Concurrent requests
  /// with one key are decided one at a time under the row's lock: one proceeds.
  public func begin(scope: String, key: IdempotencyKey, fingerprint: String, now: Date = Date()) async throws
    -> IdempotencyDecision
  {
    let lockedUntil = now.addingTimeInterval(Double(lock.components.seconds))
    return try await client.transaction(logger: logger) { tx in
      let inserted = try await tx.query(
        """
        INSERT INTO idempotency_keys (scope, key, fingerprint, locked_until)
        VALUES (\(scope), \(key.value), \(fingerprint), \(lockedUntil))
        ON CONFLICT (scope, key) DO NOTHING RETURNING 1
        """, logger: logger)
      for try await _ in inserted { return .proceed }
      let rows = try await tx.query(
        """
        SELECT fingerprint, locked_until, status, body, content_type FROM idempotency_keys
        WHERE scope = \(scope) AND key = \(key.value) FOR UPDATE
        """, logger: logger)
      var existing: IdempotencyRecord?
      for try await (storedFingerprint, locked, status, body, contentType) in rows.decode(
        (String, Date?, Int?, ByteBuffer?, String?).self)
      {
        let response = status.map {
          StoredResponse(
            status: $0, contentType: contentType ?? "", body: body.map { Array($0.readableBytesView) } ?? [])
        }
        existing = IdempotencyRecord(fingerprint: storedFingerprint, lockedUntil: locked, response: response)
      }
      let decision = IdempotencyDecision.decide(existing: existing, fingerprint: fingerprint, now: now)
      if decision == .takeOver {
        try await tx.query(
          """
          UPDATE idempotency_keys SET locked_until = \(lockedUntil)
          WHERE scope = \(scope) AND key = \(key.value)
          """, logger: logger)
      }
      return decision
    }
  }

  /// Keeps the response the key's request finished with, for its repetitions.
  public func complete(scope: String, key: IdempotencyKey, response: StoredResponse) async throws {
    try await client.query(
      """
      UPDATE idempotency_keys SET status = \(response.status), body = \(ByteBuffer(bytes: response.body)),
        content_type = \(response.contentType), locked_until = NULL
      WHERE scope = \(scope) AND key = \(key.value)
      """, logger: logger)
  }

  /// Gives the key up when its request ended without an answer worth keeping (a server
  /// error, a timeout), so that a retry runs it afresh.
  public func release(scope: String, key: IdempotencyKey) async throws {
    try await client.query(
      "DELETE FROM idempotency_keys WHERE scope = \(scope) AND key = \(key.value) AND status IS NULL",
      logger: logger)
  }

  /// Forgets keys older than `age` (24 hours by the draft's advice); how many went.
  @discardableResult
  public func purge(olderThan age: Duration = .seconds(24 * 3600), now: Date = Date()) async throws -> Int {
    let cutoff = now.addingTimeInterval(-Double(age.components.seconds))
    let rows = try await client.query(
      "WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING 1) SELECT count(*)::int FROM gone",
      logger: logger)
    for try await count in rows.decode(Int.self) { return count }
    return 0
  }
}
