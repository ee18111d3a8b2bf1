import Testing

@testable import ShopAdmin

@Suite struct HealthMonitorTests {
  struct Down: Error {}

  @Test func okWhenEveryCheckPasses() async {
    let monitor = HealthMonitor(service: "s", checks: [HealthCheck(name: "db", impact: .critical) {}])
    let report = await monitor.report()
    #expect(report.status == .ok)
    #expect(report.checks["db"]?.status == .ok)
  }

  @Test func degradedWhenOnlyANonCriticalCheckFails() async {
    let monitor = HealthMonitor(
      service: "s",
      checks: [
        HealthCheck(name: "db", impact: .critical) {},
        HealthCheck(name: "broker", impact: .degrading) { throw Down() },
      ])
    let report = await monitor.report()
    #expect(report.status == .degraded)
    #expect(report.checks["broker"]?.status == .degraded)
    #expect(report.checks["broker"]?.error != nil)
  }

  @Test func downWhenACriticalCheckTimesOut() async {
    let monitor = HealthMonitor(
      service: "s",
      checks: [
        HealthCheck(name: "db", impact: .critical, timeout: .milliseconds(50)) {
          try await Task.sleep(for: .seconds(30))
        }
      ])
    let clock = ContinuousClock()
    let start = clock.now
    let report = await monitor.report()
    #expect(report.status == .down)
    #expect(clock.now - start < .seconds(5))
  }
}
