import ShopContracts
import Testing

@testable import APIGateway

@Suite struct OrderEventStreamTests {
  static let placed: [(status: String, at: String)] = [("pending", "t1"), ("paid", "t2")]

  static func event(_ from: String?, _ to: String, at: String = "t") -> OrderStatusChanged {
    OrderStatusChanged(orderID: "o1", userID: "u1", from: from, to: to, at: at)
  }

  @Test func aNewClientGetsTheCurrentStatusNumberedByItsPlaceInTheHistory() {
    let (stream, first) = OrderEventStream.start(history: Self.placed, lastEventID: nil)
    #expect(first == [.init(sequence: 2, status: "paid", at: "t2")])
    #expect(!stream.isFinished)
  }

  @Test func aResumingClientGetsOnlyTheChangesAfterItsLastEvent() {
    let history = Self.placed + [("shipped", "t3"), ("delivered", "t4")]
    #expect(OrderEventStream.start(history: history, lastEventID: 2).1.map(\.sequence) == [3, 4])
    #expect(OrderEventStream.start(history: history, lastEventID: 0).1.map(\.sequence) == [1, 2, 3, 4])
    // Up to date, or ahead of what the gateway has read: nothing yet, and nothing twice.
    #expect(OrderEventStream.start(history: history, lastEventID: 4).1.isEmpty)
    #expect(OrderEventStream.start(history: history, lastEventID: 9).1.isEmpty)
  }

  @Test func theNextChangeIsSentOnceAndAnEventTheReadAlreadyHadIsIgnored() {
    var (stream, _) = OrderEventStream.start(history: Self.placed, lastEventID: nil)
    // Subscribed before the read: the event of the payment comes after the read held it.
    #expect(stream.receive(Self.event("pending", "paid")) == .ignore)
    #expect(
      stream.receive(Self.event("paid", "shipped", at: "t3")) == .send(.init(sequence: 3, status: "shipped", at: "t3")))
    // Delivered twice by the broker.
    #expect(stream.receive(Self.event("paid", "shipped", at: "t3")) == .ignore)
    #expect(
      stream.receive(Self.event("shipped", "delivered")) == .send(.init(sequence: 4, status: "delivered", at: "t")))
  }

  @Test func aMissedChangeAsksForTheHistoryAndThenSendsWhatTheClientLacks() {
    var (stream, _) = OrderEventStream.start(history: Self.placed, lastEventID: nil)
    #expect(stream.receive(Self.event("shipped", "delivered")) == .reread)
    let fresh = stream.reread(Self.placed + [("shipped", "t3"), ("delivered", "t4")])
    #expect(fresh.map(\.sequence) == [3, 4] && fresh.map(\.status) == ["shipped", "delivered"])
    #expect(stream.reread(Self.placed).isEmpty)
    #expect(
      stream.receive(Self.event("delivered", "completed")) == .send(.init(sequence: 5, status: "completed", at: "t")))
  }

  @Test(arguments: ["completed", "cancelled"])
  func theStreamIsOverAtAFinalStatus(_ status: String) {
    var (stream, _) = OrderEventStream.start(history: Self.placed, lastEventID: nil)
    _ = stream.receive(Self.event("paid", status))
    #expect(stream.isFinished)
    #expect(OrderEventStream.start(history: Self.placed + [(status, "t3")], lastEventID: nil).0.isFinished)
  }
}
