import Foundation
import Testing

@testable import NotificationService

@Suite struct WebhookEventTests {
  @Test func theBodyIsTheStandardWebhooksShapeWithTheEventsData() throws {
    let user = UUID()
    let envelope = Data(
      #"{"id":"x","type":"order.created","data":{"order_id":"o-1","user_id":"\#(user.uuidString.lowercased())"}}"#.utf8)
    let event = try WebhookEvent(
      id: UUID(), type: "order.created", occurredAt: Date(timeIntervalSince1970: 1_800_000_000), envelope: envelope)
    #expect(event.subject == user)
    let body = try JSONSerialization.jsonObject(with: Data(event.body.utf8)) as? [String: Any]
    #expect(body?["type"] as? String == "order.created")
    #expect(body?["timestamp"] as? String == "2027-01-15T08:00:00.000Z")
    #expect((body?["data"] as? [String: Any])?["order_id"] as? String == "o-1")
  }

  @Test func anEventAboutNoCustomerHasNoSubject() throws {
    let envelope = Data(#"{"data":{"product_id":"p-1"}}"#.utf8)
    let event = try WebhookEvent(id: UUID(), type: "inventory.low_stock", occurredAt: Date(), envelope: envelope)
    #expect(event.subject == nil)
  }

  @Test func anEnvelopeWithoutDataIsRefused() {
    #expect(throws: WebhookEvent.Malformed.self) {
      try WebhookEvent(id: UUID(), type: "order.created", occurredAt: Date(), envelope: Data(#"{"data":3}"#.utf8))
    }
  }
}
