import Testing

@testable import APIGateway

@Suite struct GCRATests {
  let policy = RateLimitPolicy(name: "user", quota: 3, window: .seconds(3))

  /// Runs requests at the given times (ms), carrying the stored TAT along.
  func run(_ times: [Double]) -> [RateLimitDecision] {
    var tat: Double?
    return times.map { now in
      let (decision, next) = GCRA.decide(storedTAT: tat, now: now, policy: policy)
      if let next { tat = next }
      return decision
    }
  }

  @Test func aFullQuotaIsLetThroughAtOnceThenRefusedUntilOneIntervalPasses() {
    let decisions = run([0, 0, 0, 0])
    #expect(decisions.map(\.allowed) == [true, true, true, false])
    #expect(decisions.map(\.remaining) == [2, 1, 0, 0])
    #expect(decisions[3].retryAfterMilliseconds == 1000)
    #expect(decisions[3].retryAfterSeconds == 1)
    // The whole quota is back once every request's interval has passed.
    #expect(decisions[2].resetMilliseconds == 3000)
  }

  @Test func aRefusalDoesNotUseUpTheQuota() {
    let decisions = run([0, 0, 0, 500, 999, 1000, 1000])
    #expect(decisions.map(\.allowed) == [true, true, true, false, false, true, false])
    #expect(decisions[4].retryAfterMilliseconds == 1)
  }

  @Test func aCallerWhoWaitsAWindowHasTheWholeQuotaAgain() {
    let decisions = run([0, 0, 0, 10_000, 10_000, 10_000, 10_000])
    #expect(decisions.map(\.allowed) == [true, true, true, true, true, true, false])
    #expect(decisions[3].remaining == 2)
  }

  @Test func requestsAtTheAverageRateAreNeverRefused() {
    let decisions = run(stride(from: 0.0, to: 20_000, by: 1000).map { $0 })
    #expect(decisions.allSatisfy { $0.allowed })
  }

  @Test func aRefusalWaitsAtLeastOneWholeSecond() {
    let decision = RateLimitDecision(
      allowed: false, remaining: 0, retryAfterMilliseconds: 1, resetMilliseconds: 10)
    #expect(decision.retryAfterSeconds == 1)
    #expect(
      RateLimitDecision(allowed: false, remaining: 0, retryAfterMilliseconds: 1001, resetMilliseconds: 0)
        .retryAfterSeconds == 2)
  }
}

@Suite struct RateLimitPoliciesTests {
  let policies = RateLimitPolicies()

  @Test func theAuthRoutesArePerClientWhateverTheToken() {
    #expect(policies.policy(path: "/api/v1/auth/login", user: "u1", client: "10.0.0.1").key == "client:10.0.0.1")
    #expect(policies.policy(path: "/api/v1/auth/login", user: nil, client: "10.0.0.1").policy.name == "auth")
    #expect(policies.policy(path: "/api/v1/users/register", user: nil, client: "10.0.0.1").policy.name == "auth")
  }

  @Test func everyOtherRouteIsPerUserWithATokenAndPerClientWithout() {
    let user = policies.policy(path: "/api/v1/orders", user: "u1", client: "10.0.0.1")
    #expect(user.policy.name == "user" && user.key == "user:u1")
    let client = policies.policy(path: "/api/v1/users/me", user: nil, client: "10.0.0.1")
    #expect(client.policy.name == "client" && client.key == "client:10.0.0.1")
  }

  @Test func theFieldsNameThePolicyThatAppliesFirst() {
    #expect(
      policies.field(applying: policies.client)
        == #""client";q=1200;w=60, "user";q=1200;w=60, "auth";q=3000;w=60"#)
    let decision = RateLimitDecision(
      allowed: true, remaining: 1187, retryAfterMilliseconds: 0, resetMilliseconds: 41_200)
    #expect(decision.field(policies.user) == #""user";r=1187;t=42"#)
  }
}
