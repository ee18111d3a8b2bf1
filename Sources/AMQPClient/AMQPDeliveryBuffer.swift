import AMQPProtocol
import DequeModule
import Synchronization

/// Where a consumer's deliveries wait until its iterator asks for them.
///
/// The broker bounds how many wait with the channel's prefetch (`basic.qos`). When the
/// iteration ends early, the deliveries still waiting are handed back to the broker, so none
/// is stranded unacknowledged on the channel.
final class AMQPDeliveryBuffer: Sendable {
  private struct State {
    var queue: Deque<AMQPDelivery> = []
    var waiter: CheckedContinuation<AMQPDelivery?, any Error>?
    /// Set once the consumer is over: `nil` for a normal end.
    var end: AMQPError??
    /// The iterator went away; deliveries are no longer wanted.
    var abandoned = false
  }

  let consumerTag: String
  let channel: AMQPChannel
  private let state = Mutex(State())

  init(consumerTag: String, channel: AMQPChannel) {
    self.consumerTag = consumerTag
    self.channel = channel
  }

  /// Hands a delivery over; false when nobody wants it any more, so it should go back.
  func yield(_ deliver: AMQPMethod.Basic.Deliver, _ message: AMQPMessage, epoch: UInt64) -> Bool {
    let delivery = AMQPDelivery(
      message: message, deliveryTag: deliver.deliveryTag, redelivered: deliver.redelivered,
      consumerTag: deliver.consumerTag, channel: channel, epoch: epoch)
    let waiter = state.withLock { state -> CheckedContinuation<AMQPDelivery?, any Error>?? in
      guard !state.abandoned, state.end == nil else { return .none }
      if let waiter = state.waiter {
        state.waiter = nil
        return .some(waiter)
      }
      state.queue.append(delivery)
      return .some(nil)
    }
    guard let waiter else { return false }
    waiter?.resume(returning: delivery)
    return true
  }

  /// Ends the consumer once the waiting deliveries are taken: normally, or with `error`.
  func finish(_ error: AMQPError?) {
    let waiter = state.withLock { state -> CheckedContinuation<AMQPDelivery?, any Error>? in
      guard state.end == nil else { return nil }
      state.end = .some(error)
      defer { state.waiter = nil }
      return state.waiter
    }
    if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
  }

  var isFinished: Bool {
    state.withLock { $0.end != nil }
  }

  /// The next delivery, `nil` once the consumer ended normally; throws the error it ended
  /// with, or `CancellationError` when the waiting task is cancelled.
  func next() async throws -> AMQPDelivery? {
    // A delivery that already waits is taken without suspending.
    if let ready = state.withLock({ Self.ready(&$0) }) { return try ready.get() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AMQPDelivery?, any Error>) in
        let result = state.withLock { state -> Result<AMQPDelivery?, any Error>? in
          if let ready = Self.ready(&state) { return ready }
          if Task.isCancelled { return .failure(CancellationError()) }
          state.waiter = continuation
          return nil
        }
        if let result { continuation.resume(with: result) }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        defer { state.waiter = nil }
        return state.waiter
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  /// The next delivery or the end, when either is there.
  private static func ready(_ state: inout State) -> Result<AMQPDelivery?, any Error>? {
    if let delivery = state.queue.popFirst() { return .success(delivery) }
    if let end = state.end { return end.map { .failure($0) } ?? .success(nil) }
    return nil
  }

  /// The iterator went away: returns the deliveries it never took, and whether the consumer
  /// was still running (and so must be cancelled).
  func abandon() -> (waiting: [AMQPDelivery], wasRunning: Bool) {
    state.withLock { state in
      state.abandoned = true
      let waiting = Array(state.queue)
      state.queue.removeAll()
      return (waiting, state.end == nil)
    }
  }
}
