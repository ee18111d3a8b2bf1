import Testing

@testable import TrafficGenerator

@Suite struct OverloadControllerTests {
  let slo = SLO.standard

  @Test func rampsWhileTheSLOIsMetAndHoldsAtTheFirstMiss() {
    var controller = OverloadController(startRate: 10, slo: slo)
    controller.windowEnded(requests: 100, errors: 0, latency: { _ in 100 })
    #expect(controller.rate == 12.5 && controller.phase == .ramping)
    controller.windowEnded(requests: 100, errors: 0, latency: { _ in 100 })
    #expect(controller.rate == 15.625)
    controller.windowEnded(requests: 100, errors: 0, latency: { _ in 600 })
    #expect(controller.rate == 15.625 && controller.phase == .holding)
  }

  @Test func errorsMissTheSLOAsLatencyDoes() {
    var controller = OverloadController(startRate: 10, slo: slo)
    controller.windowEnded(requests: 100, errors: 2, latency: { _ in 10 })
    #expect(controller.phase == .holding && controller.rate == 10)
  }

  @Test func holdingEdgesUpAfterAMetWindowAndDownAfterAMissedOne() {
    var controller = OverloadController(startRate: 100, slo: slo)
    controller.windowEnded(requests: 100, errors: 5, latency: { _ in 10 })
    controller.windowEnded(requests: 100, errors: 0, latency: { _ in 10 })
    #expect(abs(controller.rate - 105) < 1e-9)
    controller.windowEnded(requests: 100, errors: 0, latency: { _ in 900 })
    #expect(abs(controller.rate - 102.9) < 1e-9)
    #expect(controller.phase == .holding)
  }

  @Test func aWindowWithTooFewRequestsDecidesNothingButTheRamp() {
    var controller = OverloadController(startRate: 1, slo: slo)
    controller.windowEnded(requests: 3, errors: 3, latency: { _ in 5000 })
    #expect(controller.phase == .ramping && controller.rate == 1.25)
    controller.windowEnded(requests: 100, errors: 50, latency: { _ in 5000 })
    controller.windowEnded(requests: 3, errors: 0, latency: { _ in 1 })
    #expect(controller.phase == .holding && controller.rate == 1.25)
  }

  @Test func theRateStaysWithinItsBounds() {
    var controller = OverloadController(startRate: 9_000, slo: slo)
    controller.windowEnded(requests: 100, errors: 0, latency: { _ in 1 })
    #expect(controller.rate == TrafficSettings.maximumRate)
    #expect(OverloadController(startRate: 0, slo: slo).rate == 0.1)
  }
}
