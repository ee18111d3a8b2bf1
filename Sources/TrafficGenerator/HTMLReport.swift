import Foundation

/// The report as one self-contained HTML page: the table, and inline SVG plots of latency
/// percentiles, throughput and errors, and each program's CPU and memory over the run.
enum HTMLReport {
  /// How many programs each resource plot shows (the busiest, or the largest).
  static let programsPlotted = 8

  static func render(_ report: LoadReport) -> String {
    let timeline = report.timeline
    let latency = SVGChart(
      title: "Latency from when each request was due", yUnit: "ms",
      series: [
        .init(name: "p50", points: timeline.map { ($0.second, $0.p50Ms) }),
        .init(name: "p95", points: timeline.map { ($0.second, $0.p95Ms) }),
        .init(name: "p99", points: timeline.map { ($0.second, $0.p99Ms) }),
      ])
    let throughput = SVGChart(
      title: "Throughput", yUnit: "per second",
      series: [
        .init(name: "requests", points: timeline.map { ($0.second, Double($0.requests)) }),
        .init(name: "errors", points: timeline.map { ($0.second, Double($0.errors)) }),
        .init(name: "sessions", points: timeline.map { ($0.second, Double($0.sessionsStarted)) }),
        .init(name: "checkouts", points: timeline.map { ($0.second, Double($0.checkouts)) }),
      ])
    let busiest = report.resources.sorted { $0.value.meanCPUPercent > $1.value.meanCPUPercent }
      .prefix(programsPlotted)
    let cpu = SVGChart(
      title: "CPU by program (100% = one core)", yUnit: "%",
      series: busiest.map { program, resources in
        .init(name: program, points: resources.series.dropFirst().map { ($0.second, $0.cpuPercent) })
      })
    let largest = report.resources.sorted { $0.value.peakResidentMB > $1.value.peakResidentMB }
      .prefix(programsPlotted)
    let memory = SVGChart(
      title: "Resident memory by program (proportional set size)", yUnit: "MB",
      series: largest.map { program, resources in
        .init(name: program, points: resources.series.map { ($0.second, $0.residentMB) })
      })
    let verdict =
      report.sloMet
      ? #"<p class="met">SLO \#(escape(report.slo)): met</p>"#
      : #"<p class="missed">SLO \#(escape(report.slo)): missed: \#(escape(report.violations.joined(separator: "; ")))</p>"#
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>SwiftShop load test \(escape(Self.timestamp(report.startedAt)))</title>
      <style>
      body { font-family: sans-serif; margin: 24px; color: #222; }
      table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }
      th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; }
      th:first-child, td:first-child { text-align: left; }
      .met { color: #2ca02c; font-weight: bold; } .missed { color: #d62728; font-weight: bold; }
      svg { display: block; margin: 18px 0; }
      </style></head><body>
      <h1>Load test, \(escape(Self.timestamp(report.startedAt)))</h1>
      <p>\(report.users) users for \(Int(report.durationSeconds)) s (ramp \(Int(report.rampSeconds)) s),
      \(String(format: "%.1f", report.rate)) sessions/s; \(report.sessionsStarted) sessions, \(report.sessionsDropped) dropped;
      \(report.total.count) requests, \(report.total.errors) errors; sustained checkouts
      \(String(format: "%.1f", report.sustainedCheckoutRate))/s.</p>
      \(verdict)
      \(stepTable(report))
      \(latency.render())
      \(throughput.render())
      \(cpu.render())
      \(memory.render())
      \(resourceTable(report))
      </body></html>
      """
  }

  static func stepTable(_ report: LoadReport) -> String {
    let seconds = max(report.durationSeconds, 1)
    func row(_ name: String, _ summary: LatencySummary, bold: Bool = false) -> String {
      let cells = [
        escape(name), "\(summary.count)", String(format: "%.1f", Double(summary.count) / seconds),
        String(format: "%.1f", summary.p50Ms), String(format: "%.1f", summary.p95Ms),
        String(format: "%.1f", summary.p99Ms), String(format: "%.1f", summary.maxMs), "\(summary.errors)",
        "\(summary.expected)",
        escape(summary.errorKinds.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")),
      ]
      let cell = bold ? "th" : "td"
      return "<tr>" + cells.map { "<\(cell)>\($0)</\(cell)>" }.joined() + "</tr>"
    }
    var html = "<table><tr><th>step</th><th>count</th><th>rate/s</th><th>p50 ms</th><th>p95 ms</th>"
    html += "<th>p99 ms</th><th>max ms</th><th>errors</th><th>expected</th><th>error kinds</th></tr>"
    for (name, summary) in report.steps.sorted(by: { $0.key < $1.key }) { html += row(name, summary) }
    for (name, summary) in report.journeys.sorted(by: { $0.key < $1.key }) { html += row(name, summary, bold: true) }
    html += row("all", report.total, bold: true)
    return html + "</table>"
  }

  static func resourceTable(_ report: LoadReport) -> String {
    var html = "<table><tr><th>program</th><th>peak MB</th><th>mean CPU %</th><th>peak CPU %</th></tr>"
    for (program, resources) in report.resources.sorted(by: { $0.value.peakResidentMB > $1.value.peakResidentMB }) {
      html += "<tr><td>\(escape(program))</td><td>\(String(format: "%.0f", resources.peakResidentMB))</td>"
      html += "<td>\(String(format: "%.0f", resources.meanCPUPercent))</td>"
      html += "<td>\(String(format: "%.0f", resources.peakCPUPercent))</td></tr>"
    }
    html += "<tr><th>stack</th><th>\(String(format: "%.0f", report.stackPeakResidentMB))</th><th></th><th></th></tr>"
    return html + "</table>"
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func timestamp(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }
}
