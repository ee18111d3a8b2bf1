import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopTestSupport
import Testing

@testable import NotificationService
@testable import ShopMessaging

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct WebhookRecorderTests {
  static let logger = Logger(label: "test.notifications.webhook-recorder")

  @Test func eachEndpointThatReceivesAnEventGetsOneDeliveryHoweverOftenItIsHandled() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresWebhookStore(client: client, logger: Self.logger)
      let recorder = WebhookRecorder(store: store)
      let (customer, other) = (UUID(), UUID())
      let url = URL(string: "https://hooks.example/in")!
      let own = try await store.create(
        user: customer, receivesAll: false, url: url, events: [OrderCreated.type], secret: "whsec_AAAA")
      let others = try await store.create(
        user: other, receivesAll: false, url: url, events: [OrderCreated.type], secret: "whsec_AAAA")
      let admin = try await store.create(
        user: UUID(), receivesAll: true, url: url, events: [OrderCreated.type, InventoryLowStock.type],
        secret: "whsec_AAAA")
      let envelope = try NotificationRecorderTests.envelope(
        UserRegistered(
          userID: customer.lowercased, email: "ada@example.com", name: "Ada", role: "customer", registeredAt: "t"))
      let created = try Self.retyped(envelope, to: OrderCreated.type)
      for _ in 0..<2 {
        try await client.withTransaction(logger: Self.logger) { connection in
          try await recorder.handle(
            created, EventContext(transaction: connection, consumer: "test", retries: 0, logger: Self.logger))
        }
      }
      var counts: [Int] = []
      for endpoint in [own, others, admin] {
        counts.append(try await store.deliveries(endpoint: endpoint.id, after: nil, limit: 10).deliveries.count)
      }
      #expect(counts == [1, 0, 1])
    }
  }

  /// The same envelope as another event type: the recorder reads only the data's `user_id`.
  static func retyped(_ envelope: EventEnvelope, to type: String) throws -> EventEnvelope {
    var object = try JSONSerialization.jsonObject(with: envelope.body) as! [String: Any]
    object["type"] = type
    return try EventEnvelope(body: try JSONSerialization.data(withJSONObject: object))
  }
}
