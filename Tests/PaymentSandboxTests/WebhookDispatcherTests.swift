import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ShopTestSupport
import ShopWebhooks
import Synchronization
import Testing

@testable import PaymentSandbox

/// Webhooks to a real HTTP receiver that verifies them as a merchant would.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct WebhookDispatcherTests {
  /// What the receiver saw: each delivery's id and whether its signature held.
  final class Receiver: Sendable {
    let deliveries = Mutex<[(id: String, verified: Bool, type: String)]>([])
    let failFirst: Int
    init(failFirst: Int) { self.failFirst = failFirst }
  }

  /// A merchant's endpoint: verifies each webhook, refuses the first `failFirst` with 500.
  static func receiving(_ receiver: Receiver, secret: WebhookSecret) -> Router<BasicRequestContext> {
    let router = Router()
    router.post("hooks") { request, _ -> Response in
      let body = try await request.body.collect(upTo: 1 << 20)
      let headers = WebhookHeaders(
        id: request.headers[HTTPField.Name("webhook-id")!] ?? "",
        timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
        signature: request.headers[HTTPField.Name("webhook-signature")!] ?? "")
      let verified = (try? WebhookSignature(secret: secret).verify(headers, body: Array(body.readableBytesView))) != nil
      let type = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["type"]
      let seen = receiver.deliveries.withLock {
        $0.append((headers.id, verified, type as? String ?? ""))
        return $0.count
      }
      return Response(status: seen <= receiver.failFirst ? .internalServerError : .noContent)
    }
    return router
  }

  @Test func aWebhookIsSignedAndSentAgainUntilTheReceiverAcceptsIt() async throws {
    let secret = WebhookSecret.generate()
    let receiver = Receiver(failFirst: 1)
    try await TestDatabase.with(migrations: try PaymentSandboxDeclaration.migrations()) { client, _ in
      let logger = Logger(label: "test.webhooks")
      let store = PostgresPaymentStore(client: client, logger: logger)
      let card = CardSummary(brand: "visa", lastFour: "4242", fingerprint: "f")
      let payment = try Payment(
        reference: "order-1", amount: 100, currency: "EUR", card: card, declineCode: nil, capture: true, at: Date())
      try await store.insert(payment, event: "payment.captured", at: Date())
      try await Application(router: Self.receiving(receiver, secret: secret)).test(.live) { live in
        let port = try #require(live.port)
        let dispatcher = WebhookDispatcher(
          client: client, url: "http://127.0.0.1:\(port)/hooks", signature: WebhookSignature(secret: secret),
          timeout: .seconds(5), pollInterval: .milliseconds(50), logger: logger)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        #expect(try await dispatcher.sendNext(to: dispatcher.url!, with: http))
        // Refused: tried again only once its backoff has passed.
        #expect(try await !dispatcher.sendNext(to: dispatcher.url!, with: http))
        try await client.query("UPDATE webhook_outbox SET next_attempt_at = now()", logger: logger)
        #expect(try await dispatcher.sendNext(to: dispatcher.url!, with: http))
        #expect(try await !dispatcher.sendNext(to: dispatcher.url!, with: http), "delivered: nothing is due")
        try await http.shutdown()
      }
      let rows = try await client.query(
        "SELECT attempts, delivered_at IS NOT NULL FROM webhook_outbox", logger: logger)
      for try await (attempts, delivered) in rows.decode((Int, Bool).self) {
        #expect(attempts == 2 && delivered)
      }
    }
    let deliveries = receiver.deliveries.withLock { $0 }
    #expect(deliveries.count == 2)
    #expect(deliveries.allSatisfy { $0.verified && $0.type == "payment.captured" })
    #expect(Set(deliveries.map(\.id)).count == 1, "a retry keeps its webhook-id, so the receiver can drop a replay")
  }

  /// Two dispatchers (two instances) at once with one webhook due: it is leased to one and
  /// sent once.
  @Test func twoDispatchersSendOneWebhookOnce() async throws {
    let secret = WebhookSecret.generate()
    let receiver = Receiver(failFirst: 0)
    try await TestDatabase.with(migrations: try PaymentSandboxDeclaration.migrations()) { client, _ in
      let logger = Logger(label: "test.webhooks")
      let card = CardSummary(brand: "visa", lastFour: "4242", fingerprint: "f")
      let payment = try Payment(
        reference: "order-2", amount: 100, currency: "EUR", card: card, declineCode: nil, capture: true, at: Date())
      try await PostgresPaymentStore(client: client, logger: logger).insert(
        payment, event: "payment.captured", at: Date())
      try await Application(router: Self.receiving(receiver, secret: secret)).test(.live) { live in
        let url = "http://127.0.0.1:\(try #require(live.port))/hooks"
        let dispatcher = WebhookDispatcher(
          client: client, url: url, signature: WebhookSignature(secret: secret), timeout: .seconds(5),
          pollInterval: .milliseconds(50), logger: logger)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let tried = try await withThrowingTaskGroup(of: Bool.self) { group in
          for _ in 0..<2 { group.addTask { try await dispatcher.sendNext(to: url, with: http) } }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        try await http.shutdown()
        #expect(tried.filter { $0 }.count == 1)
      }
    }
    #expect(receiver.deliveries.withLock { $0.count } == 1)
  }

  @Test func backoffGrowsToFiveMinutesWithJitter() {
    for attempts in 1...20 {
      let delay = WebhookDispatcher.backoff(afterAttempts: attempts)
      let ceiling = min(pow(2, Double(attempts)), 300)
      #expect(delay >= ceiling / 2 && delay <= ceiling)
    }
  }
}
