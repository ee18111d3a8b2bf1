import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopPersistence

/// The sandbox's payments in PostgreSQL. Every write of a payment records its webhook in the
/// same transaction, so that no state change goes unannounced.
public struct PostgresPaymentStore: Sendable {
  let client: PostgresClient
  let logger: Logger

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  /// Stores a new payment and its webhook.
  func insert(_ payment: Payment, event: String, at now: Date) async throws {
    let webhook = try Self.webhook(for: payment, event: event, at: now)
    try await client.transaction(logger: logger) { tx in
      try await tx.query(
        """
        INSERT INTO payments (id, reference, amount, currency, status, captured_amount, refunded_amount, card_brand,
          card_last4, card_fingerprint, failure_code, created_at, updated_at)
        VALUES (\(payment.id), \(payment.reference), \(payment.amount), \(payment.currency),
          \(payment.status.rawValue), \(payment.capturedAmount), \(payment.refundedAmount), \(payment.card.brand),
          \(payment.card.lastFour), \(payment.card.fingerprint), \(payment.failureCode), \(payment.createdAt),
          \(payment.updatedAt))
        """, logger: logger)
      try await Self.record(webhook, on: tx, logger: logger)
    }
  }

  /// Applies `change` to the payment under its row lock, stores the result and its webhook;
  /// nil when there is no such payment. Two changes of one payment never interleave.
  func update(
    id: UUID, event: String, at now: Date, _ change: @Sendable (Payment) throws -> Payment
  ) async throws -> Payment? {
    try await client.transaction(logger: logger) { tx in
      guard let current = try await Self.payments(where: "id = $1 FOR UPDATE", id, on: tx, logger: logger).first
      else { return nil }
      let next = try change(current)
      try await tx.query(
        """
        UPDATE payments SET status = \(next.status.rawValue), captured_amount = \(next.capturedAmount),
          refunded_amount = \(next.refundedAmount), updated_at = \(next.updatedAt)
        WHERE id = \(id)
        """, logger: logger)
      try await Self.record(try Self.webhook(for: next, event: event, at: now), on: tx, logger: logger)
      return next
    }
  }

  func payment(id: UUID) async throws -> Payment? {
    try await client.withConnection { try await Self.payments(where: "id = $1", id, on: $0, logger: logger).first }
  }

  /// The payments made with one reference, oldest first.
  func payments(reference: String) async throws -> [Payment] {
    try await client.withConnection {
      try await Self.payments(where: "reference = $1 ORDER BY created_at, id", reference, on: $0, logger: logger)
    }
  }

  /// Counts one more try of the flaky card under `key`; the count, this one included.
  func countFlakyAttempt(key: String) async throws -> Int {
    let rows = try await client.query(
      """
      INSERT INTO flaky_attempts (key, attempts) VALUES (\(key), 1)
      ON CONFLICT (key) DO UPDATE SET attempts = flaky_attempts.attempts + 1 RETURNING attempts
      """, logger: logger)
    for try await attempts in rows.decode(Int.self) { return attempts }
    return 1
  }

  private static func payments(
    where condition: String, _ value: some PostgresEncodable & Sendable, on connection: PostgresConnection,
    logger: Logger
  ) async throws -> [Payment] {
    var bindings = PostgresBindings()
    try bindings.append(value)
    let query = PostgresQuery(
      unsafeSQL: """
        SELECT id, reference, amount, currency, status, captured_amount, refunded_amount, card_brand, card_last4,
          card_fingerprint, failure_code, created_at, updated_at
        FROM payments WHERE \(condition)
        """, binds: bindings)
    var found: [Payment] = []
    let rows = try await connection.query(query, logger: logger)
    for try await row in rows {
      let r = try row.decode(
        (UUID, String, Int64, String, String, Int64, Int64, String, String, String, String?, Date, Date).self)
      found.append(
        Payment(
          id: r.0, reference: r.1, amount: r.2, currency: r.3, status: Payment.Status(rawValue: r.4) ?? .failed,
          capturedAmount: r.5, refundedAmount: r.6, card: CardSummary(brand: r.7, lastFour: r.8, fingerprint: r.9),
          failureCode: r.10, createdAt: r.11, updatedAt: r.12))
    }
    return found
  }

  struct Webhook {
    var id: String
    var type: String
    var body: String
  }

  static func webhook(for payment: Payment, event: String, at now: Date) throws -> Webhook {
    let body = WebhookBody(type: event, timestamp: now.rfc3339, data: PaymentView(payment))
    return Webhook(
      id: "msg_" + UUID().lowercased.replacingOccurrences(of: "-", with: ""), type: event,
      body: String(decoding: try SandboxJSON.encode(body), as: UTF8.self))
  }

  private static func record(_ webhook: Webhook, on tx: PostgresConnection, logger: Logger) async throws {
    try await tx.query(
      "INSERT INTO webhook_outbox (webhook_id, type, body) VALUES (\(webhook.id), \(webhook.type), \(webhook.body))",
      logger: logger)
  }
}
