import Foundation
import ShopContracts
import Synchronization

/// The gateway instance's live order changes, handed to the streams that follow each order.
/// ``OrderStatusFeed`` publishes what the broker delivers; ``close()`` (the gateway shutting
/// down) ends every stream, and any opened afterwards ends at once.
public final class OrderUpdates: Sendable {
  enum Signal: Sendable {
    case change(OrderStatusChanged)
    /// Time for a comment line.
    case keepAlive
  }

  /// One stream's share of the changes: ``signals`` ends when the gateway closes the updates.
  final class Subscription: Sendable {
    let signals: AsyncStream<Signal>
    fileprivate let continuation: AsyncStream<Signal>.Continuation

    fileprivate init() {
      (signals, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    /// Leaves the updates; the stream ends.
    func end() { continuation.finish() }
  }

  private struct State {
    var subscriptions: [String: [ObjectIdentifier: Subscription]] = [:]
    var closed = false
    var keepAlives = 0
  }

  private let state = Mutex(State())

  public init() {}

  /// Follows the changes of one order from now on.
  func subscribe(orderID: String) -> Subscription {
    let subscription = Subscription()
    let key = ObjectIdentifier(subscription)
    subscription.continuation.onTermination = { [weak self] _ in
      self?.state.withLock { state in
        state.subscriptions[orderID]?[key] = nil
        if state.subscriptions[orderID]?.isEmpty == true { state.subscriptions[orderID] = nil }
      }
    }
    let open = state.withLock { state in
      guard !state.closed else { return false }
      state.subscriptions[orderID, default: [:]][key] = subscription
      return true
    }
    guard open else {
      subscription.end()
      return subscription
    }
    return subscription
  }

  /// Hands a change to every stream of its order.
  public func publish(_ event: OrderStatusChanged) {
    let receivers = state.withLock { Array(($0.subscriptions[event.orderID] ?? [:]).values) }
    for subscription in receivers { subscription.continuation.yield(.change(event)) }
  }

  /// Asks a stream for a comment line.
  func keepAlive(_ subscription: Subscription) {
    state.withLock { $0.keepAlives += 1 }
    subscription.continuation.yield(.keepAlive)
  }

  /// How many comment lines streams were asked for.
  var keepAlives: Int { state.withLock { $0.keepAlives } }

  /// How many streams follow an order (every order when `nil`).
  public func streams(of orderID: String? = nil) -> Int {
    state.withLock { state in
      orderID.map { state.subscriptions[$0]?.count ?? 0 } ?? state.subscriptions.values.reduce(0) { $0 + $1.count }
    }
  }

  /// Ends every stream, now and from now on.
  public func close() {
    let all = state.withLock { state in
      state.closed = true
      return state.subscriptions.values.flatMap(\.values)
    }
    for subscription in all { subscription.end() }
  }
}
