import Testing

@testable import NotificationService

@Suite struct PushResultTests {
  @Test func aPushServicesAnswerIsReadAsRFC8030Says() {
    #expect(PushResult(status: 201, retryAfter: nil) == .accepted)
    #expect(PushResult(status: 404, retryAfter: nil) == .gone)
    #expect(PushResult(status: 410, retryAfter: nil) == .gone)
    #expect(
      PushResult(status: 429, retryAfter: .seconds(7))
        == .later("the push service answered 429", retryAfter: .seconds(7)))
    #expect(PushResult(status: 503, retryAfter: nil) == .later("the push service answered 503", retryAfter: nil))
    #expect(PushResult(status: 413, retryAfter: nil) == .refused("the push service answered 413"))
  }

  @Test func anythingStillRetriableIsTriedAgainAfterTheLongestWaitAsked() {
    let outcome = PushResult.outcome([
      .accepted, .later("429", retryAfter: .seconds(3)), .later("503", retryAfter: .seconds(9)),
    ])
    #expect(outcome == .refused("429; 503", permanent: false, retryAfter: .seconds(9)))
  }

  @Test func oneAcceptedPushIsDeliveredAndOnlyGoneSubscriptionsAreSkipped() {
    #expect(PushResult.outcome([.accepted, .gone, .refused("400")]) == .delivered)
    #expect(PushResult.outcome([.gone, .gone]) == .skipped("no push subscription left"))
    #expect(PushResult.outcome([.gone, .refused("400")]) == .refused("400", permanent: true))
  }
}
