import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ShopContracts
import ShopTestSupport
import ShopWebhooks
import Testing

@testable import OrderService

/// The webhook receiver as the provider reaches it, against a real PostgreSQL.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct PaymentWebhookRoutesTests {
  let secret = WebhookSecret.generate()

  func body(reference: String, status: String = "captured") -> String {
    #"{"type":"payment.\#(status)","timestamp":"2026-12-02T10:00:00Z","data":{"id":"pay_1","reference":"\#(reference)","status":"\#(status)","amount":100}}"#
  }

  func headers(id: String, body: String, at time: Date = Date(), secret: WebhookSecret? = nil) -> HTTPFields {
    var fields = HTTPFields()
    for field in WebhookSignature(secret: secret ?? self.secret).headers(
      id: id, timestamp: time, body: Array(body.utf8)
    ).fields {
      fields[HTTPField.Name(field.name)!] = field.value
    }
    return fields
  }

  func withRoutes(_ body: @escaping @Sendable (any TestClientProtocol, PostgresClient) async throws -> Void)
    async throws
  {
    try await TestDatabase.with(migrations: try OrderServiceDeclaration.migrations()) { client, _ in
      let store = PostgresOrderStore(client: client, logger: Logger(label: "test.webhooks"))
      let runner = SagaRunner(
        store: store, inventory: FakeInventory(), payments: FakePayments(), carts: FakeCarts(),
        vault: CardVault(key: Data(repeating: 1, count: 32)), owner: "t", logger: Logger(label: "test.webhooks"))
      let router = Router()
      PaymentWebhookRoutes(store: store, signature: WebhookSignature(secret: secret), runner: runner)
        .register(on: router)
      try await Application(router: router).test(.router) { try await body($0, client) }
    }
  }

  static func received(_ client: PostgresClient) async throws -> Int {
    let rows = try await client.query("SELECT count(*)::int FROM received_webhooks", logger: Logger(label: "t"))
    for try await count in rows.decode(Int.self) { return count }
    return 0
  }

  @Test func aSignedWebhookIsTakenOnceHoweverOftenItComes() async throws {
    try await withRoutes { client, database in
      let text = body(reference: UUID().uuidString.lowercased())
      for _ in 0..<3 {
        try await client.execute(
          uri: "/webhooks/payments", method: .post, headers: headers(id: "msg_1", body: text),
          body: ByteBuffer(string: text)
        ) { #expect($0.status == .noContent) }
      }
      #expect(try await Self.received(database) == 1)
    }
  }

  @Test func aChangedBodyAStaleTimestampOrAnotherSecretIsRefused() async throws {
    try await withRoutes { client, database in
      let text = body(reference: "order-1")
      let cases: [(HTTPFields, String)] = [
        (headers(id: "msg_2", body: text), text.replacingOccurrences(of: "captured", with: "failed")),
        (headers(id: "msg_3", body: text, at: Date().addingTimeInterval(-600)), text),
        (headers(id: "msg_4", body: text, secret: .generate()), text),
      ]
      for (fields, sent) in cases {
        try await client.execute(
          uri: "/webhooks/payments", method: .post, headers: fields, body: ByteBuffer(string: sent)
        ) {
          #expect($0.status == .unauthorized)
        }
      }
      try await client.execute(uri: "/webhooks/payments", method: .post, body: ByteBuffer(string: text)) {
        #expect($0.status == .badRequest)
      }
      #expect(try await Self.received(database) == 0)
    }
  }

  @Test func whatItSaysOfAPaymentIsKeptForTheSaga() async throws {
    try await withRoutes { client, database in
      let store = PostgresOrderStore(client: database, logger: Logger(label: "t"))
      let order = OrderDocument(
        id: UUID(), userID: UUID(), items: [], total: Money(amount: 100, currency: "USD"),
        shippingAddress: .init(line1: "a", line2: nil, city: "b", postalCode: "c", country: "DE"),
        card: .init(brand: "visa", last4: "4242"), fromCart: false, createdAt: Date())
      try await store.create(
        order, saga: CheckoutSaga(step: .reserve, deadline: Date().addingTimeInterval(60)), sealedCard: Data([1]),
        owner: "t", leaseUntil: Date().addingTimeInterval(60), idempotencyKey: "k", events: [])
      let text = body(reference: order.id.lowercased)
      try await client.execute(
        uri: "/webhooks/payments", method: .post, headers: headers(id: "msg_5", body: text),
        body: ByteBuffer(string: text)
      ) { #expect($0.status == .noContent) }
      let saga = try #require(try await store.saga(of: order.id, owner: "t"))
      #expect(saga.reportedPayment == ProviderPayment(id: "pay_1", reference: order.id.lowercased, status: "captured"))
    }
  }
}
