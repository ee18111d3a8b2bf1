import Testing

@testable import TrafficGenerator

@Suite struct StepOutcomeTests {
  @Test func successIsAny2xx() {
    #expect(StepOutcome.classify(status: 200, code: nil) == .success)
    #expect(StepOutcome.classify(status: 202, code: nil) == .success)
    #expect(StepOutcome.classify(status: 204, code: nil) == .success)
  }

  @Test func anExpectedRefusalIsNoError() {
    let expected: [Int: Set<String>] = [402: ["payment_failed"], 409: ["out_of_stock"]]
    let declined = StepOutcome.classify(status: 402, code: "payment_failed", expected: expected)
    #expect(declined == .expected("402 payment_failed"))
    #expect(!declined.isError)
  }

  @Test func anythingElseIsAnErrorCountedByStatusAndCode() {
    let expected: [Int: Set<String>] = [409: ["out_of_stock"]]
    #expect(
      StepOutcome.classify(status: 409, code: "idempotency_key_in_use", expected: expected)
        == .failure(.http(status: 409, code: "idempotency_key_in_use")))
    #expect(StepOutcome.classify(status: 409, code: nil, expected: expected) == .failure(.http(status: 409, code: nil)))
    #expect(StepOutcome.classify(status: 503, code: "service_unavailable").isError)
    #expect(StepOutcome.ErrorKind.http(status: 429, code: "too_many_requests").description == "429 too_many_requests")
    #expect(StepOutcome.ErrorKind.http(status: 502, code: nil).description == "502")
  }
}
