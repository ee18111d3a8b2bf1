import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import ShopTestSupport
import ShopWebhooks
import Testing

@testable import NotificationService

/// Webhooks to a real HTTP receiver on loopback.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"), .timeLimit(.minutes(1)))
struct WebhookDispatcherTests {
  static let logger = Logger(label: "test.notifications.webhooks")
  static let schedule = RetrySchedule(
    initialDelay: .seconds(30), maximumDelay: .seconds(60), multiplier: 2, maximumAttempts: 4)

  /// An endpoint at `url` with one delivery of a new `order.created` event.
  static func endpointWithDelivery(_ store: PostgresWebhookStore, _ client: PostgresClient, url: String) async throws
    -> (WebhookEndpoint, secret: WebhookSecret)
  {
    let secret = WebhookSecret.generate()
    let endpoint = try await store.create(
      user: UUID(), receivesAll: true, url: URL(string: url)!, events: ["order.created"], secret: secret.encoded)
    try await record(store, client, for: [endpoint.id])
    return (endpoint, secret)
  }

  static func record(_ store: PostgresWebhookStore, _ client: PostgresClient, for endpoints: [UUID]) async throws {
    let event = try WebhookEvent(
      id: UUID(), type: "order.created", occurredAt: Date(), envelope: Data(#"{"data":{"order_id":"o-1"}}"#.utf8))
    try await client.withTransaction(logger: logger) { try await store.record(event, for: endpoints, in: $0) }
  }

  static func round(
    _ dispatcher: WebhookDispatcher, _ store: PostgresWebhookStore, _ client: PostgresClient, limit: Int = 10
  ) async throws {
    for delivery in try await store.claimDue(limit: limit, lease: .seconds(60)) { await dispatcher.attempt(delivery) }
    try await client.query(
      "UPDATE webhook_deliveries SET next_attempt_at = now() WHERE status IN ('pending', 'retrying')",
      logger: logger)
  }

  static func dispatcher(_ store: PostgresWebhookStore, allowsLoopback: Bool = true, disableAfter: Int = 10)
    -> WebhookDispatcher
  {
    WebhookDispatcher(
      store: store,
      http: OutboundHTTP(
        outbound: OutboundGuard(policy: OutboundAddressPolicy(allowsLoopback: allowsLoopback)), timeout: .seconds(5)),
      schedule: schedule, disableAfterFailures: disableAfter, logger: logger)
  }

  @Test func aRefusedDeliveryIsSentAgainWithTheSameIdAndAValidSignature() async throws {
    let receiver = ScriptedReceiver(statuses: [.internalServerError, .noContent])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresWebhookStore(client: client, logger: Self.logger)
      try await Application(router: receiver.router).test(.live) { live in
        let url = "http://127.0.0.1:\(try #require(live.port))/in"
        let (endpoint, secret) = try await Self.endpointWithDelivery(store, client, url: url)
        let dispatcher = Self.dispatcher(store)
        try await Self.round(dispatcher, store, client)
        let first = try await store.deliveries(endpoint: endpoint.id, after: nil, limit: 10).deliveries
        #expect(first.map(\.status) == ["retrying"] && first.first?.lastStatusCode == 500)
        try await Self.round(dispatcher, store, client)
        let received = receiver.received
        #expect(received.count == 2 && Set(received.map { $0.header("webhook-id") }).count == 1)
        for request in received {
          let headers = WebhookHeaders(
            id: request.header("webhook-id") ?? "", timestamp: request.header("webhook-timestamp") ?? "",
            signature: request.header("webhook-signature") ?? "")
          #expect(throws: Never.self) { try WebhookSignature(secret: secret).verify(headers, body: request.body) }
          #expect(request.header("content-type") == "application/json")
        }
        let last = try await store.deliveries(endpoint: endpoint.id, after: nil, limit: 10).deliveries
        #expect(last.map(\.status) == ["sent"] && last.first?.attempts == 2 && last.first?.deliveredAt != nil)
        #expect(last.first?.webhookID == received.first?.header("webhook-id"))
      }
    }
  }

  @Test func aGoneEndpointIsDisabledAtOnceAndItsOtherDeliveriesEnd() async throws {
    let receiver = ScriptedReceiver(statuses: [.gone])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresWebhookStore(client: client, logger: Self.logger)
      try await Application(router: receiver.router).test(.live) { live in
        let url = "http://127.0.0.1:\(try #require(live.port))/in"
        let (endpoint, _) = try await Self.endpointWithDelivery(store, client, url: url)
        let owner = endpoint.userID
        // A second event waits while the first is sent; once the endpoint is gone, it is not sent.
        try await Self.record(store, client, for: [endpoint.id])
        try await Self.round(Self.dispatcher(store), store, client, limit: 1)
        try await Self.round(Self.dispatcher(store), store, client)
        let disabled = try #require(try await store.endpoint(owner: owner, id: endpoint.id))
        #expect(!disabled.enabled && disabled.disabledReason == "the endpoint answered 410 Gone")
        #expect(receiver.received.count == 1)
        let deliveries = try await store.deliveries(endpoint: endpoint.id, after: nil, limit: 10).deliveries
        #expect(deliveries.count == 2 && deliveries.allSatisfy { $0.status == "failed" })
      }
    }
  }

  @Test func aRunOfFailuresDisablesTheEndpoint() async throws {
    let receiver = ScriptedReceiver(statuses: [.badGateway])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresWebhookStore(client: client, logger: Self.logger)
      try await Application(router: receiver.router).test(.live) { live in
        let url = "http://127.0.0.1:\(try #require(live.port))/in"
        let (endpoint, _) = try await Self.endpointWithDelivery(store, client, url: url)
        let dispatcher = Self.dispatcher(store, disableAfter: 3)
        for _ in 0..<4 { try await Self.round(dispatcher, store, client) }
        let disabled = try #require(try await store.endpoint(owner: endpoint.userID, id: endpoint.id))
        #expect(!disabled.enabled && disabled.disabledReason == "3 failed attempts in a row")
        #expect(receiver.received.count == 3)
      }
    }
  }

  @Test func aNameThatResolvesToLoopbackIsRefusedAtDeliveryWhenLoopbackIsNotAllowed() async throws {
    let receiver = ScriptedReceiver(statuses: [.noContent])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresWebhookStore(client: client, logger: Self.logger)
      try await Application(router: receiver.router).test(.live) { live in
        // Registered while allowed (or resolving elsewhere then); refused now that it resolves to loopback.
        let url = "http://localhost:\(try #require(live.port))/in"
        let (endpoint, _) = try await Self.endpointWithDelivery(store, client, url: url)
        try await Self.round(Self.dispatcher(store, allowsLoopback: false), store, client)
        #expect(receiver.received.isEmpty)
        let delivery = try #require(
          try await store.deliveries(endpoint: endpoint.id, after: nil, limit: 10).deliveries.first)
        #expect(delivery.status == "retrying" && delivery.lastStatusCode == nil)
        #expect(delivery.lastError?.contains("not a public address") == true)
      }
    }
  }
}
