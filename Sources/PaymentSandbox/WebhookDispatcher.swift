import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle
import ShopResilience
import ShopWebhooks

/// Sends the outbox's webhooks, each signed the Standard Webhooks way, until the receiver
/// answers 2xx; a failed delivery is tried again later, with exponential backoff and jitter
/// up to five minutes. A delivery is leased before it is sent, so that two instances never
/// send one at once.
struct WebhookDispatcher: Service {
  let client: PostgresClient
  let url: String?
  let signature: WebhookSignature
  let timeout: Duration
  let pollInterval: Duration
  let logger: Logger

  func run() async throws {
    guard let url else {
      logger.warning("webhooks.url is not set: webhooks wait in the outbox")
      try await gracefulShutdown()
      return
    }
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      let sent: Bool
      do {
        sent = try await sendNext(to: url, with: http)
      } catch {
        logger.warning("webhook delivery failed", metadata: ["error.message": "\(error)"])
        sent = false
      }
      if !sent { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) } }
    }
    try await http.shutdown()
  }

  /// Sends the oldest due webhook, if there is one; whether one was tried.
  func sendNext(to url: String, with http: HTTPClient) async throws -> Bool {
    let lease = Date().addingTimeInterval(Double(timeout.components.seconds) + 30)
    let rows = try await client.query(
      """
      UPDATE webhook_outbox SET next_attempt_at = \(lease)
      WHERE id = (SELECT id FROM webhook_outbox WHERE delivered_at IS NULL AND next_attempt_at <= now()
                  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, webhook_id, body, attempts
      """, logger: logger)
    var due: (Int64, String, String, Int)?
    for try await row in rows.decode((Int64, String, String, Int).self) { due = row }
    guard let (id, webhookID, body, attempts) = due else { return false }

    let bytes = Array(body.utf8)
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "content-type", value: "application/json")
    for field in signature.headers(id: webhookID, timestamp: Date(), body: bytes).fields {
      request.headers.add(name: field.name, value: field.value)
    }
    request.body = .bytes(ByteBuffer(bytes: bytes))
    var failure: String?
    do {
      let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout / .milliseconds(1))))
      if !(200..<300).contains(response.status.code) { failure = "the receiver answered \(response.status.code)" }
    } catch {
      failure = "\(error)"
    }
    if let failure {
      let next = Date().addingTimeInterval(Self.backoff(afterAttempts: attempts + 1))
      try await client.query(
        """
        UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = \(next), last_error = \(failure)
        WHERE id = \(id)
        """, logger: logger)
      logger.info(
        "webhook not accepted; will retry", metadata: ["webhook.id": "\(webhookID)", "error.message": "\(failure)"])
    } else {
      try await client.query(
        "UPDATE webhook_outbox SET attempts = attempts + 1, delivered_at = now(), last_error = NULL WHERE id = \(id)",
        logger: logger)
    }
    return true
  }

  /// Exponential: 2 s after the first refusal, doubling up to five minutes.
  static let retries = RetryPolicy(initialBackoff: .seconds(2), maxBackoff: .seconds(300))

  /// Seconds before the next try: the policy's ceiling scaled by a random half to whole, not
  /// full jitter, so that a refused delivery is never tried again at once.
  static func backoff(afterAttempts attempts: Int) -> Double {
    // Capped before the policy multiplies, so that a long-refused delivery cannot overflow it.
    retries.backoffCeiling(forRetry: min(attempts, 16)) / .seconds(1) * Double.random(in: 0.5...1)
  }
}
