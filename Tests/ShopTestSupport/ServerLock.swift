/// Keeps tests that stop, restart or alarm a shared server from running while tests that need
/// it steady do: those hold its lock shared, the disruptive ones exclusively. Every test target
/// runs in one process, so one lock per server covers them all.
public actor ServerLock {
  /// The RabbitMQ of the local stack.
  public static let broker = ServerLock()
  /// The Redis of the local stack.
  public static let redis = ServerLock()
  /// The etcd of the local stack.
  public static let etcd = ServerLock()

  private var readers = 0
  private var writer = false
  private var waiting: [(exclusive: Bool, continuation: CheckedContinuation<Void, Never>)] = []

  /// Runs `body` while no disruptive test runs.
  public nonisolated func steady<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    try await holding(exclusive: false, body)
  }

  /// Runs `body` alone among the tests that use the server.
  public nonisolated func disruptive<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    try await holding(exclusive: true, body)
  }

  private nonisolated func holding<T: Sendable>(exclusive: Bool, _ body: @Sendable () async throws -> T) async throws
    -> T
  {
    await acquire(exclusive: exclusive)
    do {
      let result = try await body()
      await release(exclusive: exclusive)
      return result
    } catch {
      await release(exclusive: exclusive)
      throw error
    }
  }

  private func acquire(exclusive: Bool) async {
    if waiting.isEmpty && !writer && (!exclusive || readers == 0) {
      exclusive ? (writer = true) : (readers += 1)
      return
    }
    await withCheckedContinuation { waiting.append((exclusive, $0)) }
  }

  private func release(exclusive: Bool) {
    exclusive ? (writer = false) : (readers -= 1)
    // First come, first served: readers at the head go together, a writer alone.
    while let next = waiting.first {
      if next.exclusive {
        guard readers == 0 && !writer else { return }
        writer = true
      } else {
        guard !writer else { return }
        readers += 1
      }
      waiting.removeFirst()
      next.continuation.resume()
      if next.exclusive { return }
    }
  }
}
