import Metrics

/// The generator's own figures in `/metrics`: requests by journey, step and outcome, errors by
/// kind, latency from when each request was due, and the mode, rate and users now — the
/// client's side of the SLO, beside what the services report.
struct TrafficMetrics: Sendable {
  func record(_ key: StepKey, latency: Duration, outcome: StepOutcome) {
    let journey = key.journey.rawValue
    let result: String
    switch outcome {
    case .success: result = "success"
    case .expected: result = "expected"
    case .failure(let kind):
      result = "error"
      Counter(
        label: "traffic_errors_total",
        dimensions: [("journey", journey), ("step", key.step), ("kind", kind.description)]
      ).increment()
    }
    Counter(
      label: "traffic_requests_total", dimensions: [("journey", journey), ("step", key.step), ("outcome", result)]
    )
    .increment()
    Timer(label: "traffic_request_duration_seconds", dimensions: [("journey", journey)]).recordNanoseconds(
      latency.components.seconds * 1_000_000_000 + latency.components.attoseconds / 1_000_000_000)
  }

  func sessionStarted() {
    Counter(label: "traffic_sessions_total", dimensions: [("outcome", "started")]).increment()
  }

  func sessionDropped() {
    Counter(label: "traffic_sessions_total", dimensions: [("outcome", "dropped")]).increment()
  }

  func tick(mode: TrafficSettings.Mode, rate: Double, activeUsers: Int, users: Int) {
    Gauge(label: "traffic_rate_sessions_per_second").record(rate)
    Gauge(label: "traffic_users", dimensions: [("state", "ready")]).record(users)
    Gauge(label: "traffic_users", dimensions: [("state", "active")]).record(activeUsers)
    for each in TrafficSettings.Mode.allCases {
      Gauge(label: "traffic_mode", dimensions: [("mode", each.rawValue)]).record(each == mode ? 1 : 0)
    }
  }
}
