import Foundation
import HTTPTypes
import Hummingbird
import ShopWebhooks

/// Receives the payment provider's webhooks on the order service's own HTTP port (never
/// through the public gateway): `POST /webhooks/payments`. A delivery must be signed with the
/// shared secret (Standard Webhooks) within the timestamp tolerance; a changed body, a wrong
/// signature or a stale timestamp is refused. A `webhook-id` seen before is acknowledged and
/// changes nothing. What it says of a payment is kept for the order's saga, which is woken.
struct PaymentWebhookRoutes<Store: OrderStore>: Sendable {
  let store: Store
  let signature: WebhookSignature
  let runner: SagaRunner<Store>

  struct Body: Decodable {
    var type: String
    var data: ProviderPayment
  }

  func register(on router: Router<BasicRequestContext>) {
    router.post("webhooks/payments") { request, _ in try await receive(request) }
  }

  func receive(_ request: Request) async throws -> Response {
    let body = Data(try await request.body.collect(upTo: 256 * 1024).readableBytesView)
    guard let id = request.headers[.webhookID], let timestamp = request.headers[.webhookTimestamp],
      let signed = request.headers[.webhookSignature]
    else {
      return Self.refusal(.badRequest, "the webhook-id, webhook-timestamp and webhook-signature headers are required")
    }
    do {
      try signature.verify(WebhookHeaders(id: id, timestamp: timestamp, signature: signed), body: body)
    } catch {
      return Self.refusal(.unauthorized, "the webhook is not verified: \(error)")
    }
    guard let webhook = try? JSONDecoder().decode(Body.self, from: body) else {
      return Self.refusal(.badRequest, "the body is not a payment webhook")
    }
    if try await store.recordWebhook(id: id, payment: webhook.data),
      let order = UUID(uuidString: webhook.data.reference)
    {
      runner.wake(order)
    }
    return Response(status: .noContent)
  }

  static func refusal(_ status: HTTPResponse.Status, _ detail: String) -> Response {
    Response(
      status: status, headers: [.contentType: "text/plain; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: detail)))
  }
}

extension HTTPField.Name {
  static let webhookID = HTTPField.Name("webhook-id")!
  static let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
  static let webhookSignature = HTTPField.Name("webhook-signature")!
}
