import Foundation
import Testing

@testable import ShopMessaging

@Suite struct ShopMessagingUnitTests {
  @Test func theEnvelopeCarriesEveryFieldAndItsDataRoundTrips() throws {
    let event = OutboxEvent(
      type: "user.registered", aggregateID: UUID(), aggregateVersion: 7, correlationID: "req-1",
      occurredAt: Date(timeIntervalSince1970: 1_800_000_000.25), data: ["email": "a@example.com"])
    let body = try event.envelope(source: "user-service")
    let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "id", "type", "source", "occurred_at", "aggregate_id", "aggregate_version", "correlation_id",
        "schema_version", "data",
      ])
    #expect(object["schema_version"] as? Int == 1)
    #expect(object["occurred_at"] as? String == "2027-01-15T08:00:00.250Z")
    let decoded = try EventEnvelope(body: body)
    #expect(decoded.id == event.id && decoded.aggregateID == event.aggregateID)
    #expect(decoded.aggregateVersion == 7 && decoded.correlationID == "req-1" && decoded.source == "user-service")
    #expect(decoded.occurredAt == event.occurredAt)
    #expect(try decoded.data(as: [String: String].self) == ["email": "a@example.com"])
    #expect(throws: MessagingError.self) { try decoded.data(as: [String: Int].self) }
  }

  @Test func bodiesThatAreNotEnvelopesAreMalformed() {
    for body in [
      "", "[]", #"{"id": "x"}"#,
      #"{"id":"nope","type":"t","source":"s","occurred_at":"2026-01-01T00:00:00Z","aggregate_id":"nope","aggregate_version":1,"correlation_id":"c"}"#,
    ] {
      #expect {
        try EventEnvelope(body: Data(body.utf8))
      } throws: { ($0 as? MessagingError)?.code == .malformedEvent }
    }
  }

  @Test func anEventWaitsBehindAnEarlierVersionOfItsAggregate() {
    let a = UUID()
    let b = UUID()
    func claimed(_ aggregate: UUID, _ version: Int64, waits: Bool = false) -> OutboxRelay.Claimed {
      OutboxRelay.Claimed(
        row: OutboxRow((UUID(), "t", "{}", nil, Date())), aggregateID: aggregate, version: version, waits: waits)
    }
    // a's version 2 waits for version 1 held by another relay, so a's version 3 waits too.
    let batch = [claimed(a, 2, waits: true), claimed(b, 1), claimed(a, 3), claimed(b, 2)]
    let ready = OutboxRelay.inAggregateOrder(batch)
    #expect(ready.map(\.aggregateID) == [b, b])
    #expect(ready.map(\.version) == [1, 2])
    #expect(OutboxRelay.inAggregateOrder([claimed(a, 1), claimed(a, 2)]).count == 2)
    // Claimed out of version order: each aggregate's events take its places lowest first.
    let reordered = OutboxRelay.inAggregateOrder([claimed(a, 5), claimed(b, 1), claimed(a, 4), claimed(a, 6)])
    #expect(reordered.map(\.version) == [4, 1, 5, 6])
    #expect(reordered.map(\.aggregateID) == [a, b, a, a])
  }

  @Test func aConsumersQueuesAreNamedAfterIt() {
    let topology = EventTopology(
      queue: "notification.users", routingKeys: ["user.registered"], retryDelays: [.seconds(1), .milliseconds(1500)],
      deliveryLimit: 5)
    #expect(topology.deadLetterQueue == "notification.users.dlq")
    #expect(topology.retryQueue(attempt: 1) == "notification.users.retry.1000ms")
    #expect(topology.retryQueue(attempt: 2) == "notification.users.retry.1500ms")
    #expect(EventTopology.deadLetterQueue(of: "notification.users.dlq") == "notification.users.dlq")
  }

  @Test func replayRefusesAnEmptyRangeOrQueue() {
    let now = Date()
    #expect(throws: MessagingError(.invalidArgument, "--until must be after --since")) {
      try EventReplay(since: now, until: now)
    }
    #expect { try EventReplay(since: now, toQueue: "") } throws: { ($0 as? MessagingError)?.code == .invalidArgument }
  }
}
