import Testing

@testable import TrafficGenerator

@Suite struct ArrivalRateTests {
  @Test func pauseAsksForNothingAndSteadyForItsRate() {
    #expect(ArrivalRate.rate(for: TrafficSettings(mode: .pause, rate: 9), elapsed: 3, overloadRate: 50) == 0)
    #expect(ArrivalRate.rate(for: TrafficSettings(mode: .steady, rate: 9), elapsed: 3, overloadRate: 50) == 9)
  }

  @Test func overloadFollowsItsController() {
    #expect(ArrivalRate.rate(for: TrafficSettings(mode: .overload, rate: 9), elapsed: 3, overloadRate: 50) == 50)
  }

  @Test func aBurstSpikesAtOnceThenEveryInterval() {
    let burst = TrafficSettings(mode: .burst, rate: 10, burstFactor: 4, burstSeconds: 5, burstInterval: 30)
    #expect(ArrivalRate.rate(for: burst, elapsed: 0, overloadRate: 0) == 40)
    #expect(ArrivalRate.rate(for: burst, elapsed: 4.9, overloadRate: 0) == 40)
    #expect(ArrivalRate.rate(for: burst, elapsed: 5, overloadRate: 0) == 10)
    #expect(ArrivalRate.rate(for: burst, elapsed: 29.9, overloadRate: 0) == 10)
    #expect(ArrivalRate.rate(for: burst, elapsed: 31, overloadRate: 0) == 40)
    #expect(ArrivalRate.rate(for: burst, elapsed: 36, overloadRate: 0) == 10)
  }
}
