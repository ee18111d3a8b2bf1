import Foundation

/// The report as a terminal reads it: one line per journey step, the journeys and the whole
/// run, then resources and the verdict.
enum ReportTable {
  static func render(_ report: LoadReport) -> String {
    var lines: [String] = []
    let seconds = max(report.durationSeconds, 1)
    let header = ["step", "count", "rate/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "expected"]
    var rows: [[String]] = []
    func row(_ name: String, _ summary: LatencySummary) -> [String] {
      [
        name, "\(summary.count)", fixed(Double(summary.count) / seconds, 1), fixed(summary.p50Ms, 1),
        fixed(summary.p95Ms, 1), fixed(summary.p99Ms, 1), fixed(summary.maxMs, 1), "\(summary.errors)",
        "\(summary.expected)",
      ]
    }
    for (name, summary) in report.steps.sorted(by: { $0.key < $1.key }) { rows.append(row(name, summary)) }
    rows.append([])
    for (name, summary) in report.journeys.sorted(by: { $0.key < $1.key }) { rows.append(row(name, summary)) }
    rows.append(row("all", report.total))
    let widths = header.indices.map { column in
      ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
    }
    func format(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == 0
          ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[index] - cell.count) + cell
      }.joined(separator: "  ")
    }
    lines.append(
      "\(report.users) users for \(fixed(report.durationSeconds, 0)) s (ramp \(fixed(report.rampSeconds, 0)) s), "
        + "\(fixed(report.rate, 1)) sessions/s, \(report.sessionsStarted) sessions (\(report.sessionsDropped) dropped)")
    lines.append(format(header))
    for cells in rows { lines.append(cells.isEmpty ? "" : format(cells)) }
    var kinds: [String: Int] = [:]
    for summary in report.steps.values { kinds.merge(summary.errorKinds, uniquingKeysWith: +) }
    if !kinds.isEmpty {
      lines.append(
        "errors by kind: "
          + kinds.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
    }
    lines.append("sustained checkouts: \(fixed(report.sustainedCheckoutRate, 1))/s (best 10 s)")
    lines.append("peak resident memory (MB):")
    for (program, resources) in report.resources.sorted(by: { $0.value.peakResidentMB > $1.value.peakResidentMB }) {
      lines.append(
        "  \(program.padding(toLength: 16, withPad: " ", startingAt: 0)) \(fixed(resources.peakResidentMB, 0).leftPadded(6))"
          + "   CPU mean \(fixed(resources.meanCPUPercent, 0))%, peak \(fixed(resources.peakCPUPercent, 0))%")
    }
    lines.append("  stack total      \(fixed(report.stackPeakResidentMB, 0).leftPadded(6))")
    lines.append(
      "generator CPU: \(fixed(report.generatorCPUShare * 100, 1))% of the machine's \(report.cores) cores")
    lines.append(
      report.sloMet
        ? "SLO \(report.slo): met"
        : "SLO \(report.slo): MISSED: " + report.violations.joined(separator: "; "))
    return lines.joined(separator: "\n")
  }

  static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

extension LoadReport {
  /// The report as the terminal prints it.
  public var table: String { ReportTable.render(self) }
}
