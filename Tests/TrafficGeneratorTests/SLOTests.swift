import Testing

@testable import TrafficGenerator

@Suite struct SLOTests {
  @Test func parsesLatencyBoundsAndTheErrorRatio() throws {
    let slo = try SLO(parsing: "p95<500ms, p99.9<2s,errors<1%")
    #expect(slo.latency == [.init(percentile: 95, milliseconds: 500), .init(percentile: 99.9, milliseconds: 2000)])
    #expect(slo.maxErrorRatio == 0.01)
    #expect(slo.description == "p95<500ms,p99.9<2000ms,errors<1%")
  }

  @Test(arguments: [
    "", "p95", "p95<", "p95<500", "q95<500ms", "p0<1ms", "p101<1ms", "errors<1", "errors<150%", "p95<500ms,",
  ])
  func refusesWhatItCannotCheck(_ text: String) {
    #expect(throws: TrafficError.self) { try SLO(parsing: text) }
  }

  @Test func namesEachMissedBound() throws {
    let slo = try SLO(parsing: "p95<500ms,errors<1%")
    #expect(slo.violations(latency: { _ in 499 }, errorRatio: 0.009).isEmpty)
    let missed = slo.violations(latency: { $0 == 95 ? 500 : 0 }, errorRatio: 0.01)
    #expect(missed.count == 2)
    #expect(missed[0].contains("p95 is 500 ms"))
    #expect(missed[1].contains("errors are 1%"))
  }

  @Test func aZeroErrorBudgetAllowsNoError() throws {
    let slo = try SLO(parsing: "errors<0%")
    #expect(slo.violations(latency: { _ in 0 }, errorRatio: 0).isEmpty)
    #expect(slo.violations(latency: { _ in 0 }, errorRatio: 0.0001).count == 1)
  }
}
