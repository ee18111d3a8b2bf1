import Synchronization
import Testing

@testable import ShopResilience

@Suite struct BackoffTests {
  struct Transient: Error {}
  struct Permanent: Error {}

  static let backoff = Backoff(initial: .milliseconds(1), maximum: .milliseconds(4))

  @Test func theDelayDoublesUpToTheMaximum() {
    let delays = sequence(first: Self.backoff.initial) { Self.backoff.next(after: $0) }.prefix(4)
    #expect(Array(delays) == [.milliseconds(1), .milliseconds(2), .milliseconds(4), .milliseconds(4)])
  }

  @Test func untilSuccessWaitsOutFailuresWithGrowingDelays() async throws {
    let waits = Mutex<[Duration]>([])
    let attempts = Mutex(0)
    let value = try await untilSuccess(
      backoff: Self.backoff, onFailure: { _, delay in waits.withLock { $0.append(delay) } }
    ) {
      let attempt = attempts.withLock {
        $0 += 1
        return $0
      }
      if attempt < 4 { throw Transient() }
      return attempt
    }
    #expect(value == 4)
    #expect(waits.withLock { $0 } == [.milliseconds(1), .milliseconds(2), .milliseconds(4)])
  }

  @Test func untilSuccessGivesUpOnAnErrorItMayNotRetry() async {
    let attempts = Mutex(0)
    await #expect(throws: Permanent.self) {
      try await untilSuccess(backoff: Self.backoff, isRetryable: { $0 is Transient }, onFailure: { _, _ in }) {
        attempts.withLock { $0 += 1 }
        throw Permanent()
      }
    }
    #expect(attempts.withLock { $0 } == 1)
  }

  @Test func untilSuccessStopsWhenCancelled() async {
    let task = Task {
      try await untilSuccess(backoff: Backoff(initial: .seconds(60), maximum: .seconds(60)), onFailure: { _, _ in }) {
        throw Transient()
      }
    }
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
  }

  final class Runs: Sendable {
    let waits = Mutex<[Duration]>([])
    let count = Mutex(0)
  }

  @Test func repeatUntilCancelledStartsOverAfterASuccess() async {
    let runs = Runs()
    let task = Task {
      await repeatUntilCancelled(
        backoff: Self.backoff, onFailure: { _, delay in runs.waits.withLock { $0.append(delay) } }
      ) {
        let run = runs.count.withLock {
          $0 += 1
          return $0
        }
        // Two failures, a success, then failures until cancelled.
        if run == 3 { return }
        if run >= 6 { withUnsafeCurrentTask { $0?.cancel() } }
        throw Transient()
      }
    }
    await task.value
    #expect(
      runs.waits.withLock { Array($0.prefix(4)) } == [
        .milliseconds(1), .milliseconds(2), .milliseconds(1), .milliseconds(2),
      ])
  }
}
