import Foundation
import ShopIdempotency
import Testing

@Suite struct IdempotencyDecisionTests {
  private let now = Date(timeIntervalSince1970: 1_800_000_000)
  private let done = StoredResponse(status: 201, contentType: "application/json", body: Array(#"{"id":1}"#.utf8))

  @Test func aNewKeyProceeds() {
    #expect(IdempotencyDecision.decide(existing: nil, fingerprint: "a", now: now) == .proceed)
  }

  @Test func theSameRequestFinishedIsReplayed() {
    let record = IdempotencyRecord(fingerprint: "a", lockedUntil: nil, response: done)
    #expect(IdempotencyDecision.decide(existing: record, fingerprint: "a", now: now) == .replay(done))
  }

  @Test func anotherRequestWithTheKeyIsRefusedWhateverItsState() {
    for record in [
      IdempotencyRecord(fingerprint: "a", lockedUntil: nil, response: done),
      IdempotencyRecord(fingerprint: "a", lockedUntil: now + 30, response: nil),
    ] {
      #expect(IdempotencyDecision.decide(existing: record, fingerprint: "b", now: now) == .reused)
    }
  }

  @Test func aRunningRequestHoldsTheKeyUntilItsLockRunsOut() {
    let running = IdempotencyRecord(fingerprint: "a", lockedUntil: now + 12.2, response: nil)
    #expect(IdempotencyDecision.decide(existing: running, fingerprint: "a", now: now) == .inUse(retryAfterSeconds: 13))
    // Its process died: the lock ran out, and the key is taken over.
    #expect(IdempotencyDecision.decide(existing: running, fingerprint: "a", now: now + 13) == .takeOver)
  }

  @Test func theFingerprintCoversMethodPathAndBody() {
    let base = IdempotencyDecision.fingerprint(method: "POST", path: "/orders", body: Array("{}".utf8))
    #expect(base == IdempotencyDecision.fingerprint(method: "POST", path: "/orders", body: Array("{}".utf8)))
    #expect(base != IdempotencyDecision.fingerprint(method: "POST", path: "/orders", body: Array("{ }".utf8)))
    #expect(base != IdempotencyDecision.fingerprint(method: "PUT", path: "/orders", body: Array("{}".utf8)))
    #expect(base != IdempotencyDecision.fingerprint(method: "POST", path: "/carts", body: Array("{}".utf8)))
  }

  @Test func keysArePrintableASCIIOfAtMost255() {
    #expect(
      IdempotencyKey(header: "8e03978e-40d5-43e8-bc93-6894a57f9324")?.value == "8e03978e-40d5-43e8-bc93-6894a57f9324")
    #expect(IdempotencyKey(header: "\"quoted-key\"")?.value == "quoted-key")
    for bad in ["", "\"\"", "naïve", "tab\there", String(repeating: "k", count: 256)] {
      #expect(IdempotencyKey(header: bad) == nil, "\(bad.debugDescription)")
    }
  }
}
