import MetricsTestKit
import ShopContracts
import Testing

@testable import APIGateway

@Suite struct OrderUpdatesTests {
  static func event(_ order: String, _ to: String) -> OrderStatusChanged {
    OrderStatusChanged(orderID: order, userID: "u1", from: "paid", to: to, at: "t")
  }

  static func statuses(_ subscription: OrderUpdates.Subscription) async -> [String] {
    var seen: [String] = []
    for await signal in subscription.signals {
      if case .change(let event) = signal { seen.append(event.to) }
    }
    return seen
  }

  static func openStreams(_ metrics: TestMetrics) throws -> Int64? {
    try metrics.expectGauge("gateway_order_event_streams").lastValue.map { Int64($0) }
  }

  @Test func aChangeReachesEveryStreamOfItsOrderAndNoOther() async throws {
    let metrics = TestMetrics()
    let updates = OrderUpdates(metrics: metrics)
    let (first, second, other) = (
      updates.subscribe(orderID: "o1"), updates.subscribe(orderID: "o1"), updates.subscribe(orderID: "o2")
    )
    #expect(try updates.streams(of: "o1") == 2 && updates.streams(of: "O1") == 2 && Self.openStreams(metrics) == 3)
    updates.publish(Self.event("o1", "shipped"))
    updates.publish(Self.event("o3", "shipped"))
    updates.close()
    #expect(await Self.statuses(first) == ["shipped"])
    #expect(await Self.statuses(second) == ["shipped"])
    #expect(await Self.statuses(other).isEmpty)
  }

  @Test func aStreamThatEndsLeavesAndOneOpenedAfterClosingEndsAtOnce() async throws {
    let metrics = TestMetrics()
    let updates = OrderUpdates(metrics: metrics)
    let subscription = updates.subscribe(orderID: "o1")
    subscription.end()
    #expect(try updates.streams(of: "o1") == 0 && Self.openStreams(metrics) == 0)
    updates.close()
    let late = updates.subscribe(orderID: "o1")
    #expect(await Self.statuses(late).isEmpty && updates.streams(of: "o1") == 0)
  }

  @Test func anOrderIsFollowedWhateverTheCaseOfItsID() async {
    let updates = OrderUpdates()
    let subscription = updates.subscribe(orderID: "A1B2")
    #expect(updates.streams(of: "a1b2") == 1)
    updates.publish(Self.event("a1B2", "shipped"))
    updates.close()
    #expect(await Self.statuses(subscription) == ["shipped"])
  }

  static func signals(_ subscription: OrderUpdates.Subscription) async -> [String] {
    var signals: [String] = []
    for await signal in subscription.signals {
      switch signal {
      case .keepAlive: signals.append("keep-alive")
      case .resumed: signals.append("resumed")
      case .change(let event): signals.append(event.to)
      }
    }
    return signals
  }

  @Test func aFeedFollowingAgainTellsEveryStreamOfEveryOrder() async {
    let updates = OrderUpdates()
    let (first, other) = (updates.subscribe(orderID: "o1"), updates.subscribe(orderID: "o2"))
    updates.publish(Self.event("o1", "shipped"))
    updates.resumed()
    updates.close()
    #expect(await Self.signals(first) == ["shipped", "resumed"])
    #expect(await Self.signals(other) == ["resumed"])
  }

  @Test func keepAlivesGoBetweenTheChanges() async throws {
    let metrics = TestMetrics()
    let updates = OrderUpdates(metrics: metrics)
    let subscription = updates.subscribe(orderID: "o1")
    updates.keepAlive(subscription)
    updates.publish(Self.event("o1", "shipped"))
    updates.close()
    #expect(await Self.signals(subscription) == ["keep-alive", "shipped"])
    #expect(try metrics.expectCounter("gateway_order_event_keepalives_total").totalValue == 1)
  }
}
