import Testing

@testable import NotificationService

@Suite struct RetryScheduleTests {
  @Test func delaysGrowFromSecondsToACapOfMinutesThenStop() {
    let schedule = RetrySchedule()
    let delays = (1...10).map { schedule.delay(afterAttempt: $0) }
    #expect(
      delays == [
        .seconds(5), .seconds(15), .seconds(45), .seconds(135), .seconds(405), .seconds(600), .seconds(600),
        .seconds(600), .seconds(600), nil,
      ])
  }

  @Test func aDecisionPerOutcome() {
    let schedule = RetrySchedule(
      initialDelay: .seconds(1), maximumDelay: .seconds(10), multiplier: 2, maximumAttempts: 3)
    let transient = DeliveryOutcome.refused("451 try later", permanent: false)
    #expect(schedule.decide(attempt: 1, outcome: .delivered) == .sent)
    #expect(schedule.decide(attempt: 1, outcome: .refused("550 no such user", permanent: true)) == .failed)
    #expect(schedule.decide(attempt: 1, outcome: transient) == .retrying(after: .seconds(1)))
    #expect(schedule.decide(attempt: 2, outcome: transient) == .retrying(after: .seconds(2)))
    #expect(schedule.decide(attempt: 3, outcome: transient) == .failed)
    #expect(schedule.decide(attempt: 1, outcome: .skipped("no push subscription")) == .skipped)
  }

  @Test func aWaitTheReceiverAsksForIsHonouredUpToTheCap() {
    let schedule = RetrySchedule(
      initialDelay: .seconds(1), maximumDelay: .seconds(10), multiplier: 2, maximumAttempts: 5)
    let later = { (seconds: Int64) in DeliveryOutcome.refused("429", permanent: false, retryAfter: .seconds(seconds)) }
    #expect(schedule.decide(attempt: 1, outcome: later(4)) == .retrying(after: .seconds(4)))
    #expect(schedule.decide(attempt: 3, outcome: later(1)) == .retrying(after: .seconds(4)))
    #expect(schedule.decide(attempt: 1, outcome: later(3600)) == .retrying(after: .seconds(10)))
    #expect(schedule.decide(attempt: 5, outcome: later(1)) == .failed)
  }
}
