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
    #expect(schedule.decide(attempt: 1, succeeded: true, permanent: false) == .sent)
    #expect(schedule.decide(attempt: 1, succeeded: false, permanent: true) == .failed)
    #expect(schedule.decide(attempt: 1, succeeded: false, permanent: false) == .retrying(after: .seconds(1)))
    #expect(schedule.decide(attempt: 2, succeeded: false, permanent: false) == .retrying(after: .seconds(2)))
    #expect(schedule.decide(attempt: 3, succeeded: false, permanent: false) == .failed)
  }
}
