import Foundation
import Logging
import PostgresNIO
import ShopIdempotency
import ShopTestSupport
import Testing

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct PostgresIdempotencyStoreTests {
  private let response = StoredResponse(
    status: 201, contentType: "application/json", body: Array(#"{"id":"7","total":1999}"#.utf8))

  private func withStore(_ body: @Sendable (PostgresIdempotencyStore) async throws -> Void) async throws {
    try await TestDatabase.with(migrations: [try IdempotencySchema.migration(version: 1)]) { client, _ in
      try await body(PostgresIdempotencyStore(client: client, logger: Logger(label: "test.idempotency")))
    }
  }

  @Test func aFinishedRequestIsReplayedByteForByteAndAnotherBodyIsRefused() async throws {
    try await withStore { store in
      let key = IdempotencyKey(header: "k-1")!
      let decision1 = try await store.begin(scope: "ada", key: key, fingerprint: "f1")
      #expect(decision1 == .proceed)
      try await store.complete(scope: "ada", key: key, response: response)
      let decision2 = try await store.begin(scope: "ada", key: key, fingerprint: "f1")
      #expect(decision2 == .replay(response))
      let decision3 = try await store.begin(scope: "ada", key: key, fingerprint: "f2")
      #expect(decision3 == .reused)
    }
  }

  /// 20 requests with one key at once: one runs, the others are told it is in use.
  @Test func concurrentRequestsWithOneKeyLetOneThrough() async throws {
    try await withStore { store in
      let key = IdempotencyKey(header: "k-race")!
      let decisions = try await withThrowingTaskGroup(of: IdempotencyDecision.self) { group in
        for _ in 0..<20 { group.addTask { try await store.begin(scope: "ada", key: key, fingerprint: "f") } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(decisions.filter { $0 == .proceed }.count == 1)
      #expect(decisions.filter { if case .inUse = $0 { true } else { false } }.count == 19)
    }
  }

  @Test func keysAreTheCallersOwn() async throws {
    try await withStore { store in
      let key = IdempotencyKey(header: "same")!
      let decision4 = try await store.begin(scope: "ada", key: key, fingerprint: "f")
      #expect(decision4 == .proceed)
      let decision5 = try await store.begin(scope: "bob", key: key, fingerprint: "f")
      #expect(decision5 == .proceed)
    }
  }

  /// A request that failed without an answer worth keeping gives its key back; one whose
  /// process died leaves it locked until the lock runs out, then it is taken over.
  @Test func aReleasedOrAbandonedKeyRunsAgain() async throws {
    try await withStore { store in
      let key = IdempotencyKey(header: "k-retry")!
      let decision6 = try await store.begin(scope: "ada", key: key, fingerprint: "f")
      #expect(decision6 == .proceed)
      try await store.release(scope: "ada", key: key)
      let decision7 = try await store.begin(scope: "ada", key: key, fingerprint: "f")
      #expect(decision7 == .proceed)
      let later = Date().addingTimeInterval(61)
      let decision8 = try await store.begin(scope: "ada", key: key, fingerprint: "f", now: later)
      #expect(decision8 == .takeOver)
      // Releasing never drops a finished key.
      try await store.complete(scope: "ada", key: key, response: response)
      try await store.release(scope: "ada", key: key)
      let decision9 = try await store.begin(scope: "ada", key: key, fingerprint: "f")
      #expect(decision9 == .replay(response))
    }
  }

  @Test func keysAreForgottenAfterADay() async throws {
    try await withStore { store in
      let key = IdempotencyKey(header: "k-old")!
      _ = try await store.begin(scope: "ada", key: key, fingerprint: "f")
      try await store.complete(scope: "ada", key: key, response: response)
      let withinADay = try await store.purge(now: Date().addingTimeInterval(23 * 3600))
      #expect(withinADay == 0)
      let afterADay = try await store.purge(now: Date().addingTimeInterval(25 * 3600))
      #expect(afterADay == 1)
      let reusable = try await store.begin(scope: "ada", key: key, fingerprint: "other")
      #expect(reusable == .proceed)
    }
  }
}
