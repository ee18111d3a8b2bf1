import AMQPClient
import Synchronization

/// Deliveries waiting for a handler. A free handler takes everything that waits, up to a
/// batch, so that batches grow only when deliveries arrive faster than they are handled.
final class DeliveryBatcher: Sendable {
  private struct State {
    var waiting: [AMQPDelivery] = []
    var takers: [CheckedContinuation<[AMQPDelivery]?, Never>] = []
    var finished = false
  }

  private let state = Mutex(State())
  private let maximum: Int

  init(maximum: Int) {
    self.maximum = max(1, maximum)
  }

  func push(_ delivery: AMQPDelivery) {
    let taker = state.withLock { state -> CheckedContinuation<[AMQPDelivery]?, Never>? in
      guard !state.takers.isEmpty else {
        state.waiting.append(delivery)
        return nil
      }
      return state.takers.removeFirst()
    }
    taker?.resume(returning: [delivery])
  }

  /// No more deliveries come: takers get what waits, then `nil`.
  func finish() {
    let takers = state.withLock { state in
      state.finished = true
      defer { state.takers.removeAll() }
      return state.takers
    }
    for taker in takers { taker.resume(returning: nil) }
  }

  /// The next batch, waiting for one delivery if none waits; `nil` once finished and empty.
  func next() async -> [AMQPDelivery]? {
    await withCheckedContinuation { continuation in
      let batch = state.withLock { state -> [AMQPDelivery]?? in
        if !state.waiting.isEmpty {
          let count = min(maximum, state.waiting.count)
          defer { state.waiting.removeFirst(count) }
          return .some(Array(state.waiting.prefix(count)))
        }
        if state.finished { return .some(nil) }
        state.takers.append(continuation)
        return .none
      }
      if let batch { continuation.resume(returning: batch) }
    }
  }
}
