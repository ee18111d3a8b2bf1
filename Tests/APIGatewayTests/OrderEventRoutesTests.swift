import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MetricsTestKit
import NIOCore
import ShopContracts
import Synchronization
import Testing

@testable import APIGateway

/// `GET /orders/{id}/events` in process: the order is read through the fake order service,
/// its changes published into the gateway's ``OrderUpdates`` as the broker feed would.
@Suite struct OrderEventRoutesTests {
  typealias Gateway = GatewayRouterTests

  /// The events of a stream body as `(id, status)`, and its comment lines.
  static func events(_ body: ByteBuffer) throws -> (events: [(id: Int, status: String)], comments: Int) {
    var events: [(Int, String)] = []
    var comments = 0
    for block in String(buffer: body).components(separatedBy: "\n\n") where !block.isEmpty {
      let lines = block.split(separator: "\n").map(String.init)
      if lines.allSatisfy({ $0.hasPrefix(":") }) {
        comments += 1
        continue
      }
      #expect(lines.count == 3 && lines[0] == "event: status")
      let id = try #require(Int(lines[1].dropFirst("id: ".count)))
      let data = try JSONSerialization.jsonObject(with: Data(lines[2].dropFirst("data: ".count).utf8)) as! [String: Any]
      #expect(Set(data.keys) == ["status", "at"])
      events.append((id, try #require(data["status"] as? String)))
    }
    return (events, comments)
  }

  static func event(_ from: String, _ to: String) -> OrderStatusChanged {
    OrderStatusChanged(orderID: "o1", userID: "u1", from: from, to: to, at: "2026-12-03T11:00:00Z")
  }

  /// Publishes `events` once the stream has subscribed.
  static func publish(_ events: [OrderStatusChanged], into updates: OrderUpdates) -> Task<Void, any Error> {
    Task {
      while updates.streams(of: "o1") == 0 { try await Task.sleep(for: .milliseconds(5)) }
      for event in events { updates.publish(event) }
    }
  }

  static func stream(
    _ client: some TestClientProtocol, _ fake: FakeUserService, lastEventID: String? = nil,
    _ check: @escaping @Sendable (TestResponse) throws -> Void
  ) async throws {
    var headers = try await CatalogRoutesTests.bearer(fake, role: "customer")
    if let lastEventID { headers[.lastEventID] = lastEventID }
    try await client.execute(uri: "/api/v1/orders/o1/events", method: .get, headers: headers) { try check($0) }
  }

  @Test func theCurrentStatusThenEachChangeOnceUntilCompleted() async throws {
    let orders = FakeOrderService()
    orders.stored.withLock { $0["o1"] = FakeOrderService.order("o1", ["pending", "paid"]) }
    let updates = OrderUpdates()
    let publisher = Self.publish(
      [
        Self.event("pending", "paid"), Self.event("paid", "shipped"), Self.event("paid", "shipped"),
        Self.event("shipped", "delivered"), Self.event("delivered", "completed"),
      ], into: updates)
    try await Gateway.withGateway(orders: orders, updates: updates) { client, fake in
      try await Self.stream(client, fake) { response in
        #expect(response.status == .ok && response.headers[.contentType] == "text/event-stream")
        #expect(response.headers[.cacheControl] == "no-cache")
        let (events, _) = try Self.events(response.body)
        #expect(events.map(\.id) == [2, 3, 4, 5])
        #expect(events.map(\.status) == ["paid", "shipped", "delivered", "completed"])
      }
    }
    try await publisher.value
    // Only the read at the start: the changes came from the updates.
    #expect(orders.reads.load(ordering: .relaxed) == 1 && updates.streams(of: "o1") == 0)
  }

  @Test func aResumingClientGetsWhatItMissedAndNothingTwice() async throws {
    let orders = FakeOrderService()
    orders.stored.withLock {
      $0["o1"] = FakeOrderService.order("o1", ["pending", "paid", "shipped", "delivered", "completed"])
    }
    try await Gateway.withGateway(orders: orders) { client, fake in
      try await Self.stream(client, fake, lastEventID: "3") { response throws in
        #expect(try Self.events(response.body).events.map(\.status) == ["delivered", "completed"])
      }
      // A finished order without Last-Event-ID: its status, and the stream ends.
      try await Self.stream(client, fake) { response throws in
        #expect(try Self.events(response.body).events.map(\.id) == [5])
      }
      try await Self.stream(client, fake, lastEventID: "three") { response in
        #expect(response.status == .badRequest && Gateway.code(response.body) == "validation_failed")
      }
    }
  }

  @Test func aMissedChangeIsReadFromTheOrdersHistory() async throws {
    let orders = FakeOrderService()
    orders.stored.withLock { $0["o1"] = FakeOrderService.order("o1", ["pending", "paid"]) }
    let updates = OrderUpdates()
    // The event of the shipment never came; the order service has it.
    let publisher = Task {
      while orders.reads.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
      orders.stored.withLock {
        $0["o1"] = FakeOrderService.order("o1", ["pending", "paid", "shipped", "delivered"])
      }
      updates.publish(Self.event("shipped", "delivered"))
      updates.publish(Self.event("delivered", "cancelled"))
    }
    try await Gateway.withGateway(orders: orders, updates: updates) { client, fake in
      try await Self.stream(client, fake) { response in
        let (events, _) = try Self.events(response.body)
        #expect(events.map(\.id) == [2, 3, 4, 5] && events.last?.status == "cancelled")
      }
    }
    try await publisher.value
    #expect(orders.reads.load(ordering: .relaxed) == 2)
  }

  @Test func aFeedThatFollowsAgainHasEveryStreamReadWhatItMissed() async throws {
    let orders = FakeOrderService()
    orders.stored.withLock { $0["o1"] = FakeOrderService.order("o1", ["pending", "paid"]) }
    let updates = OrderUpdates()
    // The broker was away while the order was shipped and cancelled; no event will tell.
    let resumer = Task {
      while updates.streams(of: "o1") == 0 || orders.reads.load(ordering: .relaxed) == 0 {
        try await Task.sleep(for: .milliseconds(5))
      }
      orders.stored.withLock { $0["o1"] = FakeOrderService.order("o1", ["pending", "paid", "shipped", "cancelled"]) }
      updates.resumed()
    }
    try await Gateway.withGateway(orders: orders, updates: updates) { client, fake in
      try await Self.stream(client, fake) { response in
        let (events, _) = try Self.events(response.body)
        #expect(events.map(\.id) == [2, 3, 4])
        #expect(events.map(\.status) == ["paid", "shipped", "cancelled"])
      }
    }
    try await resumer.value
    #expect(orders.reads.load(ordering: .relaxed) == 2 && updates.streams(of: "o1") == 0)
  }

  @Test func anotherUsersOrderIsNotFoundAndLeavesNoStream() async throws {
    let updates = OrderUpdates()
    try await Gateway.withGateway(updates: updates) { client, fake in
      try await Self.stream(client, fake) { response in
        #expect(response.status == .notFound)
      }
      try await client.execute(uri: "/api/v1/orders/o1/events", method: .get) { response in
        #expect(response.status == .unauthorized)
      }
    }
    #expect(updates.streams(of: "o1") == 0)
  }

  @Test func closingTheUpdatesEndsTheStreamAndIdleStreamsGetKeepAlives() async throws {
    var configuration = GatewayConfiguration()
    configuration.eventsKeepAlive = .milliseconds(10)
    let orders = FakeOrderService()
    orders.stored.withLock { $0["o1"] = FakeOrderService.order("o1", ["pending", "paid"]) }
    let metrics = TestMetrics()
    let updates = OrderUpdates(metrics: metrics)
    let closer = Task {
      while updates.streams(of: "o1") == 0 { try await Task.sleep(for: .milliseconds(5)) }
      while try metrics.expectCounter("gateway_order_event_keepalives_total").totalValue < 2 {
        try await Task.sleep(for: .milliseconds(5))
      }
      updates.close()
    }
    try await Gateway.withGateway(configuration, orders: orders, updates: updates) { client, fake in
      try await Self.stream(client, fake) { response in
        let (events, comments) = try Self.events(response.body)
        #expect(events.map(\.status) == ["paid"] && comments >= 2)
      }
    }
    try await closer.value
  }
}
