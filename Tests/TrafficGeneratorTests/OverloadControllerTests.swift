import Testing

@testable import TrafficGenerator

@Suite struct OverloadControllerTests {
  let slo = SLO.standard

  static func window(
    _ requests: Int = 100, errors: Int = 0, p95: Double = 100, started: Double = 0, saturated: Bool = false
  ) -> OverloadController.Window {
    .init(requests: requests, errors: errors, latency: { _ in p95 }, sessionsStarted: started, saturated: saturated)
  }

  @Test func rampsWhileTheSLOIsMetThenHoldsJustAboveTheLastRateThatMetIt() {
    var controller = OverloadController(startRate: 10, slo: slo)
    let marked1 = controller.windowEnded(Self.window())
    #expect(!marked1)
    #expect(controller.rate == 12.5 && controller.phase == .ramping)
    controller.windowEnded(Self.window())
    #expect(controller.rate == 15.625 && controller.lastGood == 12.5)
    let marked2 = controller.windowEnded(Self.window(p95: 600))
    #expect(marked2)
    #expect(controller.phase == .holding && abs(controller.rate - 12.5 * 1.05) < 1e-9)
  }

  @Test func errorsMissTheSLOAsLatencyDoes() {
    var controller = OverloadController(startRate: 10, slo: slo)
    controller.windowEnded(Self.window(errors: 2, p95: 10))
    // No window met it: the rate stays where it was.
    #expect(controller.phase == .holding && controller.rate == 10)
  }

  @Test func holdingEdgesUpAfterAMetWindowAndDownAfterAMissedOne() {
    var controller = OverloadController(startRate: 100, slo: slo)
    controller.windowEnded(Self.window(errors: 5, p95: 10))
    controller.windowEnded(Self.window(p95: 10))
    #expect(abs(controller.rate - 105) < 1e-9)
    let marked3 = controller.windowEnded(Self.window(p95: 900))
    #expect(!marked3)
    #expect(abs(controller.rate - 102.9) < 1e-9)
    #expect(controller.phase == .holding)
  }

  @Test func aWindowWithTooFewRequestsDecidesNothingButTheRamp() {
    var controller = OverloadController(startRate: 1, slo: slo)
    controller.windowEnded(Self.window(3, errors: 3, p95: 5000))
    #expect(controller.phase == .ramping && controller.rate == 1.25)
    controller.windowEnded(Self.window(100, errors: 50, p95: 5000))
    controller.windowEnded(Self.window(3, p95: 1))
    #expect(controller.phase == .holding && controller.rate == 1.25)
  }

  @Test func sessionsWaitingForACustomerHoldJustAboveTheSessionsThatStarted() {
    var controller = OverloadController(startRate: 100, slo: slo)
    let marked4 = controller.windowEnded(Self.window(5, started: 40, saturated: true))
    #expect(marked4)
    #expect(controller.phase == .holding && controller.rate == 42)
    controller.windowEnded(Self.window(500, started: 30, saturated: true))
    #expect(abs(controller.rate - 31.5) < 1e-9)
  }

  @Test func theRateStaysWithinItsBounds() {
    var controller = OverloadController(startRate: 9_000, slo: slo)
    controller.windowEnded(Self.window(p95: 1))
    #expect(controller.rate == TrafficSettings.maximumRate)
    #expect(OverloadController(startRate: 0, slo: slo).rate == 0.1)
  }
}
