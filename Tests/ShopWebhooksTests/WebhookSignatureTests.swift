import Foundation
import ShopWebhooks
import Testing

@Suite struct WebhookSignatureTests {
  // The Standard Webhooks reference vector, as its libraries compute it.
  private let secret = WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!
  private let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
  private let sent = Date(timeIntervalSince1970: 1_614_265_330)
  private let body = Data(#"{"test": 2432232314}"#.utf8)

  @Test func signsAsTheSchemesLibrariesDo() {
    let headers = WebhookSignature(secret: secret).headers(id: id, timestamp: sent, body: body)
    #expect(headers.signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    #expect(headers.timestamp == "1614265330" && headers.id == id)
  }

  @Test func aSignedWebhookVerifies() throws {
    let signature = WebhookSignature(secret: secret)
    let headers = signature.headers(id: id, timestamp: sent, body: body)
    try signature.verify(headers, body: body, now: sent.addingTimeInterval(299))
  }

  @Test func aChangedBodyOrAnotherKeyIsRefused() {
    let signature = WebhookSignature(secret: secret)
    let headers = signature.headers(id: id, timestamp: sent, body: body)
    #expect(throws: WebhookError.badSignature) {
      try signature.verify(headers, body: Data(#"{"test": 2432232315}"#.utf8), now: sent)
    }
    #expect(throws: WebhookError.badSignature) {
      try WebhookSignature(secret: .generate()).verify(headers, body: body, now: sent)
    }
    var renamed = headers
    renamed.id = "msg_other"
    #expect(throws: WebhookError.badSignature) { try signature.verify(renamed, body: body, now: sent) }
  }

  @Test func aTimestampOutsideTheToleranceIsRefusedEitherWay() {
    let signature = WebhookSignature(secret: secret)
    let headers = signature.headers(id: id, timestamp: sent, body: body)
    #expect(throws: WebhookError.staleTimestamp) { try signature.verify(headers, body: body, now: sent + 301) }
    #expect(throws: WebhookError.staleTimestamp) { try signature.verify(headers, body: body, now: sent - 301) }
    var garbled = headers
    garbled.timestamp = "yesterday"
    #expect(throws: WebhookError.invalidTimestamp) { try signature.verify(garbled, body: body, now: sent) }
  }

  /// During a key rotation a sender signs with both keys; either one lets the webhook in.
  @Test func anyOfSeveralSignaturesMayMatch() throws {
    let old = WebhookSignature(secret: .generate()).headers(id: id, timestamp: sent, body: body)
    var both = WebhookSignature(secret: secret).headers(id: id, timestamp: sent, body: body)
    both.signature = "v2,ignored " + old.signature + " " + both.signature
    try WebhookSignature(secret: secret).verify(both, body: body, now: sent)
  }

  @Test func missingHeadersAreRefused() {
    let empty = WebhookHeaders(id: "", timestamp: "", signature: "")
    #expect(throws: WebhookError.missingHeaders) { try WebhookSignature(secret: secret).verify(empty, body: body) }
  }

  @Test func secretsReadTheSchemesFormAndNeverPrintTheKey() throws {
    let generated = WebhookSecret.generate()
    #expect(WebhookSecret(generated.encoded) == generated)
    #expect(generated.encoded.hasPrefix("whsec_") && "\(generated)" == "whsec_…")
    #expect(WebhookSecret("whsec_") == nil && WebhookSecret("not base64!") == nil)
  }
}
