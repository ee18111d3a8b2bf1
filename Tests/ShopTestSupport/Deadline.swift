/// The test took longer than it may: something it waited for never happened.
public struct DeadlineExceeded: Error, CustomStringConvertible {
  public let limit: Duration
  public var description: String { "the test did not finish within \(limit)" }
}

/// Runs `body`, cancelling it and failing after `limit`, so that a condition that never comes
/// fails the test instead of hanging the run.
public func withDeadline<T: Sendable>(
  _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: limit)
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let value = first else { throw DeadlineExceeded(limit: limit) }
    return value
  }
}

/// Returns once `condition` holds, looking every 50 ms; the suite's deadline bounds the wait.
public func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
  while try await !condition() { try await Task.sleep(for: .milliseconds(50)) }
}
