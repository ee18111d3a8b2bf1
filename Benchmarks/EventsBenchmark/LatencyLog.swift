import Foundation
import Synchronization

/// When each event's transaction committed, and how long after that its handler started.
final class LatencyLog: Sendable {
  private struct State {
    var commits: [UUID: ContinuousClock.Instant] = [:]
    var latencies: [Double] = []
  }

  private let state = Mutex(State())

  func reset() {
    state.withLock { $0 = State() }
  }

  func committed(_ id: UUID, at instant: ContinuousClock.Instant) {
    state.withLock { $0.commits[id] = instant }
  }

  /// The handler of `id` starts now. It can start before the writer sees its commit return;
  /// that counts as no wait.
  func handled(_ id: UUID) {
    let now = ContinuousClock.now
    state.withLock { state in
      let committed = state.commits[id] ?? now
      state.latencies.append(max(0, Double((now - committed) / .microseconds(1)) / 1000))
    }
  }

  var count: Int { state.withLock { $0.latencies.count } }

  /// The latencies so far, in milliseconds, sorted.
  var sorted: [Double] { state.withLock { $0.latencies.sorted() } }
}
