import Foundation
import ShopMessaging

/// The webhook side of the notification service's event handling: every event of a type
/// some endpoint names becomes one delivery per endpoint that receives it (an admin's
/// endpoint every such event, a customer's only those about the customer), recorded in the
/// event's own transaction.
public struct WebhookRecorder: Sendable {
  let store: PostgresWebhookStore

  public init(store: PostgresWebhookStore) {
    self.store = store
  }

  public func handle(_ envelope: EventEnvelope, _ context: EventContext) async throws {
    guard WebhookEndpoint.eventTypes.contains(envelope.type) else { return }
    let event = try WebhookEvent(
      id: envelope.id, type: envelope.type, occurredAt: envelope.occurredAt, envelope: envelope.body)
    let candidates = try await store.endpoints(receiving: event.type, in: context.transaction)
    let targets = candidates.filter { $0.receives(event.type, about: event.subject) }
    try await store.record(event, for: targets.map(\.id), in: context.transaction)
  }
}
