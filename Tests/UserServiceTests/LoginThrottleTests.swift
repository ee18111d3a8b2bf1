import Foundation
import ShopContracts
import Testing

@testable import UserService

@Suite struct LoginThrottleTests {
  let throttle = LoginThrottle(maxFailures: 3, maxFailuresPerClient: 10, window: .seconds(60))
  let now = Date(timeIntervalSince1970: 1_800_000_000)

  func count(_ attempts: Int, startedSecondsAgo: Double = 10) -> LoginThrottle.Count {
    .init(attempts: attempts, windowStartedAt: now.addingTimeInterval(-startedSecondsAgo))
  }

  @Test func attemptsUpToTheLimitGoOnToThePassword() {
    #expect(throttle.refusal(account: count(3), client: count(10), now: now) == nil)
    #expect(throttle.refusal(account: count(1), client: nil, now: now) == nil)
  }

  @Test func anAttemptPastEitherLimitWaitsForItsWindowToEnd() {
    #expect(throttle.refusal(account: count(4), client: nil, now: now) == 50)
    #expect(throttle.refusal(account: count(1), client: count(11, startedSecondsAgo: 30), now: now) == 30)
    #expect(
      throttle.refusal(account: count(4, startedSecondsAgo: 50), client: count(11, startedSecondsAgo: 5), now: now)
        == 55, "the later window decides")
    #expect(throttle.refusal(account: count(4, startedSecondsAgo: 59.9), client: nil, now: now) == 1)
  }

  @Test func accountsAndClientsHaveKeysOfTheirOwn() {
    #expect(LoginThrottle.accountKey("Eve@Example.com") == LoginThrottle.accountKey("eve@example.com"))
    #expect(LoginThrottle.accountKey("eve@example.com") != LoginThrottle.accountKey("eve@example.org"))
    #expect(!LoginThrottle.accountKey("eve\u{0}@example.com").containsControlCharacters)
    #expect(LoginThrottle.clientKey("10.0.0.1") == "client:10.0.0.1")
  }
}
