import AsyncHTTPClient
import Testing

@testable import TrafficGenerator

@Suite struct TrafficEngineTests {
  static func users(_ count: Int, stats: TrafficStats) -> [VirtualUser] {
    let api = ShopAPI(http: HTTPClient.shared, base: "http://127.0.0.1:9", stats: stats, timeout: .seconds(1))
    return (0..<count).map { VirtualUser(email: "u\($0)@example.com", password: "p", api: api) }
  }

  @Test func anArrivalTakesAFreeUserOrWaitsForOne() {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 10))
    engine.add(Self.users(1, stats: engine.stats))
    let now = ContinuousClock.now
    let user = engine.arrived(at: now)
    #expect(user != nil && engine.activeUsers == 1)
    #expect(engine.arrived(at: now + .seconds(1)) == nil)
    // The user finishing takes the waiting arrival, with the time it was due.
    #expect(engine.finished(user!) == now + .seconds(1))
    #expect(engine.activeUsers == 1)
    #expect(engine.finished(user!) == nil)
    #expect(engine.activeUsers == 0)
  }

  @Test func arrivalsBeyondTheWaitingLimitAreDropped() {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 10), waitingLimit: 2)
    let now = ContinuousClock.now
    for _ in 0..<5 { #expect(engine.arrived(at: now) == nil) }
    #expect(engine.stats.snapshot().sessionsDropped == 3)
  }

  @Test func pauseForgetsTheWaitingArrivalsAndStopsNewRequests() throws {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 10))
    engine.add(Self.users(1, stats: engine.stats))
    let user = engine.arrived(at: .now)!
    _ = engine.arrived(at: .now)
    #expect(engine.proceeds)
    try engine.change(ModeChange(mode: "pause"))
    #expect(!engine.proceeds && engine.rate == 0)
    #expect(engine.finished(user) == nil)
    #expect(engine.activeUsers == 0)
  }

  @Test func aRefusedChangeChangesNothing() throws {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 7))
    #expect(throws: TrafficError.self) { try engine.change(ModeChange(mode: "warp", rate: 99)) }
    #expect(engine.settings == TrafficSettings(mode: .steady, rate: 7))
    #expect(engine.rate == 7)
  }

  @Test func overloadStartsFromTheGivenRate() throws {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 7))
    try engine.change(ModeChange(mode: "overload", rate: 3))
    #expect(engine.rate == 3)
  }

  @Test func theRampRaisesTheRateFromAlmostNothing() {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 100))
    engine.ramp(over: .seconds(60))
    #expect(engine.rate < 10)
    engine.ramp(over: .zero)
    #expect(engine.rate == 100)
  }

  @Test func stoppingEndsEverything() {
    let engine = TrafficEngine(settings: TrafficSettings(mode: .steady, rate: 100))
    engine.stop()
    #expect(!engine.proceeds && engine.rate == 0 && engine.settings.mode == .pause)
  }

  @Test func poissonGapsHaveTheirMean() {
    var random = SystemRandomNumberGenerator()
    let gaps = (0..<20_000).map { _ in TrafficEngine.exponential(mean: 2, using: &random) }
    let mean = gaps.reduce(0, +) / Double(gaps.count)
    #expect(abs(mean - 2) < 0.1)
    #expect(gaps.allSatisfy { $0 >= 0 })
  }
}
