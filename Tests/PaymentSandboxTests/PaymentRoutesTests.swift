import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ShopIdempotency
import ShopTestSupport
import Testing

@testable import PaymentSandbox

/// The sandbox's API in process, against a real PostgreSQL database.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct PaymentRoutesTests {
  static let logger = Logger(label: "test.sandbox")

  static func withSandbox(
    _ body: @Sendable (any TestClientProtocol, PostgresClient) async throws -> Void
  ) async throws {
    try await TestDatabase.with(migrations: try PaymentSandboxDeclaration.migrations()) { client, _ in
      let routes = PaymentRoutes(
        store: PostgresPaymentStore(client: client, logger: logger),
        keys: PostgresIdempotencyStore(client: client, logger: logger), fingerprintKey: Data("key".utf8),
        slowCardDelay: .milliseconds(200))
      let router = Router()
      routes.register(on: router)
      try await Application(router: router).test(.router) { try await body($0, client) }
    }
  }

  static func payment(
    card: String = "4242424242424242", amount: Int = 5_000, reference: String = "order-1", capture: Bool = true
  ) -> ByteBuffer {
    ByteBuffer(
      string: """
        {"amount": \(amount), "currency": "EUR", "reference": "\(reference)", "capture": \(capture),
         "card": {"number": "\(card)", "exp_month": 12, "exp_year": 2099, "cvc": "123"}}
        """)
  }

  static func headers(key: String? = nil) -> HTTPFields {
    var fields: HTTPFields = [.contentType: "application/json"]
    if let key { fields[PaymentRoutes.idempotencyKey] = key }
    return fields
  }

  static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
  }

  static func count(_ sql: String, _ client: PostgresClient) async throws -> Int {
    let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    for try await count in rows.decode(Int.self) { return count }
    return 0
  }

  @Test func anApprovedCardIsCapturedAndKeptAsBrandAndLastFourOnly() async throws {
    try await Self.withSandbox { client, db in
      try await client.execute(uri: "/v1/payments", method: .post, headers: Self.headers(), body: Self.payment()) {
        #expect($0.status == .created)
        let body = try Self.json($0.body)
        #expect(body["status"] as? String == "captured" && body["captured_amount"] as? Int == 5_000)
        #expect((body["card"] as? [String: Any])?["last4"] as? String == "4242")
        #expect(!String(buffer: $0.body).contains("4242424242424242"))
      }
      let leaked = try await Self.count(
        "SELECT count(*)::int FROM payments WHERE row_to_json(payments)::text LIKE '%4242424242424242%'", db)
      #expect(leaked == 0)
      let webhooks = try await Self.count(
        "SELECT count(*)::int FROM webhook_outbox WHERE type = 'payment.captured' AND body NOT LIKE '%42424242424242%'",
        db)
      #expect(webhooks == 1)
    }
  }

  @Test(arguments: [("4000000000000002", "card_declined"), ("4000000000009995", "insufficient_funds")])
  func aDecliningCardFailsWith402AndItsCode(_ card: String, _ code: String) async throws {
    try await Self.withSandbox { client, db in
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(), body: Self.payment(card: card)
      ) {
        #expect($0.status == HTTPResponse.Status(code: 402))
        let body = try Self.json($0.body)
        #expect(body["status"] as? String == "failed" && body["failure_code"] as? String == code)
      }
      let counted = try await Self.count("SELECT count(*)::int FROM webhook_outbox WHERE type = 'payment.failed'", db)
      #expect(counted == 1)
    }
  }

  /// The flaky card answers 500 twice for one payment, then approves: the retries with its key
  /// make one payment.
  @Test func theFlakyCardFailsTwiceThenApproves() async throws {
    try await Self.withSandbox { client, db in
      var statuses: [HTTPResponse.Status] = []
      for _ in 0..<3 {
        try await client.execute(
          uri: "/v1/payments", method: .post, headers: Self.headers(key: "flaky-1"),
          body: Self.payment(card: "4000000000000119")
        ) { statuses.append($0.status) }
      }
      #expect(statuses == [.internalServerError, .internalServerError, .created])
      let counted = try await Self.count("SELECT count(*)::int FROM payments", db)
      #expect(counted == 1)
    }
  }

  @Test func theSlowCardApprovesAfterItsDelay() async throws {
    try await Self.withSandbox { client, _ in
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(), body: Self.payment(card: "4000000000003220")
      ) { #expect($0.status == .created) }
    }
  }

  /// A repetition with the key gets the first answer byte for byte and charges nothing again;
  /// another request with the key is refused.
  @Test func aKeyReplaysItsAnswerAndRefusesAnotherRequest() async throws {
    try await Self.withSandbox { client, db in
      var first = ByteBuffer()
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(key: "k1"), body: Self.payment()
      ) { first = $0.body }
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(key: "k1"), body: Self.payment()
      ) {
        #expect($0.status == .created && $0.body == first)
      }
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(key: "k1"), body: Self.payment(amount: 6_000)
      ) {
        #expect($0.status == .unprocessableContent)
        let json = try Self.json($0.body)
        #expect(json["code"] as? String == "idempotency_key_reused")
      }
      let counted = try await Self.count("SELECT count(*)::int FROM payments", db)
      #expect(counted == 1)
    }
  }

  /// Ten requests with one key at once: one payment; each answer is the payment or "in use".
  @Test func concurrentRequestsWithOneKeyChargeOnce() async throws {
    try await Self.withSandbox { client, db in
      let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
        for _ in 0..<10 {
          group.addTask {
            try await client.execute(
              uri: "/v1/payments", method: .post, headers: Self.headers(key: "race"), body: Self.payment()
            ) { $0.status }
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
      #expect(statuses.contains(.created))
      let counted = try await Self.count("SELECT count(*)::int FROM payments", db)
      #expect(counted == 1)
    }
  }

  @Test func anAuthorizationIsCapturedLaterRefundedInPartsAndNotVoidedOnceCaptured() async throws {
    try await Self.withSandbox { client, db in
      var id = ""
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(), body: Self.payment(capture: false)
      ) {
        let body = try Self.json($0.body)
        #expect(body["status"] as? String == "authorized")
        id = body["id"] as? String ?? ""
      }
      let steps: [(String, String?, HTTPResponse.Status, String)] = [
        ("capture", #"{"amount": 3000}"#, .ok, "captured"),
        ("void", nil, .conflict, "invalid_transition"),
        ("refunds", #"{"amount": 1000}"#, .ok, "captured"),
        ("refunds", #"{"amount": 5000}"#, .unprocessableContent, "amount_too_large"),
        ("refunds", nil, .ok, "refunded"),
      ]
      for (action, body, status, outcome) in steps {
        try await client.execute(
          uri: "/v1/payments/\(id)/\(action)", method: .post, headers: Self.headers(),
          body: body.map { ByteBuffer(string: $0) }
        ) {
          #expect($0.status == status, "\(action)")
          let json = try Self.json($0.body)
          #expect((json["status"] as? String ?? json["code"] as? String) == outcome, "\(action)")
        }
      }
      try await client.execute(uri: "/v1/payments/\(id)", method: .get) {
        let body = try Self.json($0.body)
        #expect(body["captured_amount"] as? Int == 3_000 && body["refunded_amount"] as? Int == 3_000)
      }
      let changes = try await Self.count("SELECT count(*)::int FROM webhook_outbox", db)
      #expect(changes == 4, "authorized, captured, two refunds")
    }
  }

  /// Two captures of one authorization at once: the row lock lets one through, the other
  /// finds it captured.
  @Test func concurrentCapturesOfOneAuthorizationCaptureOnce() async throws {
    try await Self.withSandbox { client, db in
      var id = ""
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(), body: Self.payment(capture: false)
      ) { id = try Self.json($0.body)["id"] as? String ?? "" }
      let payment = id
      let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
        for _ in 0..<8 {
          group.addTask {
            try await client.execute(uri: "/v1/payments/\(payment)/capture", method: .post) { $0.status }
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 7)
      let captures = try await Self.count(
        "SELECT count(*)::int FROM webhook_outbox WHERE type = 'payment.captured'", db)
      #expect(captures == 1)
    }
  }

  @Test func paymentsAreReadByIdAndListedByReference() async throws {
    try await Self.withSandbox { client, _ in
      for reference in ["order-a", "order-a", "order-b"] {
        try await client.execute(
          uri: "/v1/payments", method: .post, headers: Self.headers(), body: Self.payment(reference: reference)
        ) { _ in }
      }
      try await client.execute(uri: "/v1/payments?reference=order-a", method: .get) {
        let json = try Self.json($0.body)
        #expect((json["items"] as? [[String: Any]])?.count == 2)
      }
      try await client.execute(uri: "/v1/payments/\(UUID())", method: .get) { #expect($0.status == .notFound) }
      try await client.execute(uri: "/v1/payments/\(UUID())/capture", method: .post) {
        #expect($0.status == .notFound)
      }
    }
  }

  @Test func badRequestsAre400AndChargeNothing() async throws {
    try await Self.withSandbox { client, db in
      for body in [
        Self.payment(card: "4242424242424241"), Self.payment(amount: 0), ByteBuffer(string: "{}"),
        ByteBuffer(
          string:
            #"{"amount": 1, "currency": "EUR", "reference": "r", "card": {"number": "4242424242424242", "exp_month": 1, "exp_year": 2020, "cvc": "123"}}"#
        ),
      ] {
        try await client.execute(uri: "/v1/payments", method: .post, headers: Self.headers(), body: body) {
          #expect($0.status == .badRequest)
          let json = try Self.json($0.body)
          #expect(json["code"] as? String == "validation_failed")
        }
      }
      try await client.execute(
        uri: "/v1/payments", method: .post, headers: Self.headers(key: "naïve"), body: Self.payment()
      ) { #expect($0.status == .badRequest) }
      let counted = try await Self.count("SELECT count(*)::int FROM payments", db)
      #expect(counted == 0)
    }
  }
}
