import Synchronization

/// Caps retries to a fraction of recent first attempts, so that a struggling upstream is
/// not buried under retries: every call deposits `ratio` tokens, every retry withdraws one.
public final class RetryBudget: Sendable {
  private struct State {
    var tokens: Double
  }

  private let state: Mutex<State>
  private let ratio: Double
  private let capacity: Double

  /// - Parameters:
  ///   - ratio: retries allowed per call (0.2 is one retry per five calls).
  ///   - minimumRetries: retries always allowed, so that a quiet client can still retry.
  public init(ratio: Double = 0.2, minimumRetries: Int = 10) {
    self.ratio = ratio
    self.capacity = Double(minimumRetries)
    self.state = Mutex(State(tokens: Double(minimumRetries)))
  }

  public func recordCall() {
    state.withLock { $0.tokens = min($0.tokens + ratio, capacity) }
  }

  /// Takes a token for one retry; false when the budget is spent.
  public func tryWithdraw() -> Bool {
    state.withLock {
      guard $0.tokens >= 1 else { return false }
      $0.tokens -= 1
      return true
    }
  }
}
