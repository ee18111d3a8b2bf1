import Foundation
import Synchronization

/// One-shot signals per order that a task can wait for with a timeout: that a saga ended (for
/// the request waiting to answer), or that a webhook arrived (for a saga sleeping before a
/// retry). A signal given before anyone waits is kept until `forget`, so that a waiter that
/// comes late does not miss it.
final class CompletionSignals: Sendable {
  private struct Entry {
    var signalled = false
    var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
  }

  private let entries = Mutex<[UUID: Entry]>([:])

  /// Starts keeping `id`'s signal.
  func expect(_ id: UUID) {
    entries.withLock { if $0[id] == nil { $0[id] = Entry() } }
  }

  /// Whether `id`'s signal is kept for someone.
  func isExpected(_ id: UUID) -> Bool {
    entries.withLock { $0[id] != nil }
  }

  /// Wakes everyone waiting for `id`; when `id` is expected, later waiters return at once.
  func signal(_ id: UUID) {
    let woken = entries.withLock { entries -> [CheckedContinuation<Bool, Never>] in
      guard var entry = entries[id] else { return [] }
      entry.signalled = true
      let waiters = Array(entry.waiters.values)
      entry.waiters = [:]
      entries[id] = entry
      return waiters
    }
    for waiter in woken { waiter.resume(returning: true) }
  }

  func forget(_ id: UUID) {
    let woken = entries.withLock { $0.removeValue(forKey: id).map { Array($0.waiters.values) } ?? [] }
    for waiter in woken { waiter.resume(returning: false) }
  }

  /// True when `id` was signalled within `timeout`; false when the time ran out, the task
  /// was cancelled or `id` is not expected.
  func wait(for id: UUID, timeout: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask { await self.waitForSignal(id) }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return false
      }
      let first = await group.next() ?? false
      group.cancelAll()
      return first
    }
  }

  private func waitForSignal(_ id: UUID) async -> Bool {
    let token = UUID()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        let answer: Bool? = entries.withLock { entries in
          guard var entry = entries[id] else { return false }
          if entry.signalled { return true }
          if Task.isCancelled { return false }
          entry.waiters[token] = continuation
          entries[id] = entry
          return nil
        }
        if let answer { continuation.resume(returning: answer) }
      }
    } onCancel: {
      let waiter = entries.withLock { $0[id]?.waiters.removeValue(forKey: token) }
      waiter?.resume(returning: false)
    }
  }
}
