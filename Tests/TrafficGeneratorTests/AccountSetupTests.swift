import Synchronization
import Testing

@testable import TrafficGenerator

@Suite struct AccountSetupTests {
  static func answer(_ status: Int, code: String = "") -> ShopAPI.Answer {
    ShopAPI.Answer(
      status: status, json: [:], outcome: status < 400 ? .success : .failure(.http(status: status, code: code)),
      retryAfter: status == 429 ? 1 : nil)
  }

  @Test func aBusyOrLimitedAnswerIsAskedAgainUntilItSucceeds() async {
    let answers = Mutex([Self.answer(503, code: "service_unavailable"), Self.answer(429), Self.answer(201)])
    let calls = Atomic(0)
    let answer = await AccountSetup.retryingLimits {
      calls.add(1, ordering: .relaxed)
      return answers.withLock { $0.removeFirst() }
    }
    #expect(answer.status == 201 && calls.load(ordering: .relaxed) == 3)
  }

  @Test func anyOtherRefusalIsTheAnswer() async {
    let calls = Atomic(0)
    let answer = await AccountSetup.retryingLimits {
      calls.add(1, ordering: .relaxed)
      return Self.answer(400, code: "validation_failed")
    }
    #expect(answer.status == 400 && calls.load(ordering: .relaxed) == 1)
  }
}
