import Foundation
import Testing

@testable import TrafficGenerator

@Suite struct LoadReportTests {
  @Test func theSustainedRateIsTheBestWindowsMean() {
    #expect(LoadReport.bestAverage([], window: 10) == 0)
    #expect(LoadReport.bestAverage([2, 4], window: 10) == 3)
    let values = [0, 0, 10, 10, 10, 0, 0].map(Double.init)
    #expect(LoadReport.bestAverage(values, window: 3) == 10)
    #expect(abs(LoadReport.bestAverage(values, window: 4) - 7.5) < 1e-9)
  }

  static func report(violating: Bool) throws -> LoadReport {
    let stats = TrafficStats()
    for index in 0..<100 {
      stats.record(.checkoutOrder, latency: .milliseconds(violating ? 900 : 40 + index % 5), outcome: .success)
    }
    stats.record(StepKey(.browse, "list"), latency: .milliseconds(10), outcome: .failure(.http(status: 503, code: "x")))
    stats.tick(second: 1, activeUsers: 5, rate: 10)
    let point = { (second: Double, cpu: Double, mb: Double) in
      ResourceSampler.Point(second: second, cpuPercent: cpu, residentMB: mb)
    }
    return LoadReport(
      startedAt: Date(timeIntervalSince1970: 1_800_000_000), users: 5, duration: .seconds(10), ramp: .seconds(2),
      rate: 10, slo: try SLO(parsing: "p95<500ms,errors<2%"), snapshot: stats.snapshot(),
      resources: [
        "order": [point(0, 0, 40), point(1, 50, 60), point(2, 30, 50)],
        "postgres": [point(0, 0, 100), point(1, 10, 90)],
        ResourceSampler.generator: [point(0, 0, 30), point(1, 40, 35), point(2, 60, 33)],
      ],
      cores: 2)
  }

  @Test func addsUpTheStacksPeaksWithoutTheGenerator() throws {
    let report = try Self.report(violating: false)
    #expect(report.sloMet && report.violations.isEmpty)
    #expect(report.resources["order"]!.peakResidentMB == 60)
    #expect(report.resources["order"]!.meanCPUPercent == 40)
    #expect(report.resources["order"]!.peakCPUPercent == 50)
    #expect(report.stackPeakResidentMB == 160)
    #expect(abs(report.generatorCPUShare - 0.25) < 1e-9)
    #expect(report.sustainedCheckoutRate == 100)
  }

  @Test func aMissedSLOIsNamedInTheReportAndItsTable() throws {
    let report = try Self.report(violating: true)
    #expect(!report.sloMet)
    #expect(report.violations.count == 1)
    #expect(report.table.contains("SLO p95<500ms,errors<2%: MISSED: p95 is"))
    #expect(report.table.contains("checkout.order"))
  }

  @Test func writesJSONThatReadsBackAndAnHTMLPage() throws {
    let report = try Self.report(violating: false)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let paths = try LoadTest.write(report, to: directory)
    #expect(paths.json.hasSuffix("20270115T080000Z.json"))
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths.json))) as! [String: Any]
    #expect(json["slo_met"] as? Bool == true)
    #expect((json["steps"] as? [String: Any])?["checkout.order"] != nil)
    #expect((json["resources"] as? [String: Any])?["generator"] != nil)
    let html = try String(contentsOfFile: paths.html, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.components(separatedBy: "<svg ").count == 5)
    // Self-contained: nothing to fetch, nothing to run.
    #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
  }
}
