import Testing

@testable import TrafficGenerator

@Suite struct TrafficStatsTests {
  @Test func keepsEachStepAndAddsThemUpByJourney() {
    let stats = TrafficStats()
    stats.record(StepKey(.browse, "list"), latency: .milliseconds(10), outcome: .success)
    stats.record(StepKey(.browse, "list"), latency: .milliseconds(30), outcome: .failure(.timeout))
    stats.record(StepKey(.browse, "product"), latency: .milliseconds(20), outcome: .success)
    stats.record(.checkoutOrder, latency: .milliseconds(50), outcome: .expected("402 payment_failed"))
    let snapshot = stats.snapshot()
    let list = snapshot.steps[StepKey(.browse, "list")]!
    #expect(list.count == 2 && list.errors == 1 && list.errorKinds == ["timeout": 1])
    #expect(abs(list.maxMs - 30) < 0.1)
    let browse = snapshot.journeys[.browse]!
    #expect(browse.count == 3 && browse.errors == 1)
    #expect(abs(browse.p50Ms - 20) < 0.1)
    #expect(snapshot.total.count == 4 && snapshot.total.expected == 1 && snapshot.total.errors == 1)
    #expect(abs(snapshot.latency(100) - 50) < 0.1)
  }

  @Test func aTickClosesTheWindowAndCountsPlacedOrders() {
    let stats = TrafficStats()
    stats.sessionStarted()
    stats.record(.checkoutOrder, latency: .milliseconds(80), outcome: .success)
    stats.record(.checkoutOrder, latency: .milliseconds(90), outcome: .expected("402 payment_failed"))
    stats.record(StepKey(.search, "query"), latency: .milliseconds(5), outcome: .failure(.connection))
    let first = stats.tick(second: 1, activeUsers: 3, rate: 2)
    #expect(first.point.requests == 3 && first.point.errors == 1 && first.point.checkouts == 1)
    #expect(first.point.sessionsStarted == 1 && first.point.activeUsers == 3 && first.point.rate == 2)
    #expect(abs(first.latency(100) - 90) < 0.1)
    let second = stats.tick(second: 2, activeUsers: 0, rate: 2)
    #expect(second.point.requests == 0 && second.point.checkouts == 0 && second.latency(95) == 0)
    #expect(stats.snapshot().timeline.map(\.second) == [1, 2])
  }

  @Test func theTimelineKeepsItsNewestPoints() {
    let stats = TrafficStats(timelineLimit: 3)
    for second in 1...5 { stats.tick(second: Double(second), activeUsers: 0, rate: 0) }
    #expect(stats.snapshot().timeline.map(\.second) == [3, 4, 5])
  }

  @Test func recordsFromManyUsersAtOnceAreAllCounted() async {
    let stats = TrafficStats()
    await withTaskGroup(of: Void.self) { group in
      for user in 0..<50 {
        group.addTask {
          for request in 0..<200 {
            stats.record(
              StepKey(.browse, user % 2 == 0 ? "list" : "product"), latency: .microseconds(request + 1),
              outcome: request % 10 == 0 ? .failure(.timeout) : .success)
          }
          stats.sessionStarted()
        }
      }
    }
    let snapshot = stats.snapshot()
    #expect(snapshot.total.count == 10_000 && snapshot.total.errors == 1000)
    #expect(snapshot.sessionsStarted == 50)
    #expect(stats.tick(second: 1, activeUsers: 0, rate: 0).point.requests == 10_000)
  }
}
