import CoreMetrics
import Foundation
import ShopContracts
import Synchronization

/// The gateway instance's live order changes, handed to the streams that follow each order.
/// ``OrderStatusFeed`` publishes what the broker delivers; ``close()`` (the gateway shutting
/// down) ends every stream, and any opened afterwards ends at once. The open streams are the
/// gauge `gateway_order_event_streams`, the comment lines `gateway_order_event_keepalives_total`.
public final class OrderUpdates: Sendable {
  enum Signal: Sendable {
    case change(OrderStatusChanged)
    /// The feed was interrupted and follows again: changes may have been missed.
    case resumed
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
    var count: Int { subscriptions.values.reduce(0) { $0 + $1.count } }
  }

  private let state = Mutex(State())
  private let openStreams: Gauge
  private let keepAlivesSent: Counter

  public init(metrics: any MetricsFactory = MetricsSystem.factory) {
    openStreams = Gauge(label: "gateway_order_event_streams", factory: metrics)
    keepAlivesSent = Counter(label: "gateway_order_event_keepalives_total", factory: metrics)
  }

  /// Follows the changes of one order from now on.
  func subscribe(orderID: String) -> Subscription {
    // An order id is a UUID, whatever the case it is written in.
    let orderID = orderID.lowercased()
    let subscription = Subscription()
    let key = ObjectIdentifier(subscription)
    subscription.continuation.onTermination = { [weak self] _ in
      guard let self else { return }
      state.withLock { state in
        state.subscriptions[orderID]?[key] = nil
        if state.subscriptions[orderID]?.isEmpty == true { state.subscriptions[orderID] = nil }
        openStreams.record(state.count)
      }
    }
    let open = state.withLock { state in
      guard !state.closed else { return false }
      state.subscriptions[orderID, default: [:]][key] = subscription
      openStreams.record(state.count)
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
    let receivers = state.withLock { Array(($0.subscriptions[event.orderID.lowercased()] ?? [:]).values) }
    for subscription in receivers { subscription.continuation.yield(.change(event)) }
  }

  /// Tells every stream that the feed follows again after an interruption, so that each reads
  /// its order's history for what it missed: a final change lost while the broker was away
  /// would otherwise leave its stream open with nothing more to come.
  public func resumed() {
    let all = state.withLock { $0.subscriptions.values.flatMap(\.values) }
    for subscription in all { subscription.continuation.yield(.resumed) }
  }

  /// Asks a stream for a comment line.
  func keepAlive(_ subscription: Subscription) {
    keepAlivesSent.increment()
    subscription.continuation.yield(.keepAlive)
  }

  /// How many streams follow an order.
  public func streams(of orderID: String) -> Int {
    state.withLock { $0.subscriptions[orderID.lowercased()]?.count ?? 0 }
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
