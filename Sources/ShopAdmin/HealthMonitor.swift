import Foundation

/// Runs a service's health checks concurrently, each bounded by its timeout.
public struct HealthMonitor: Sendable {
  public let service: String
  public let checks: [HealthCheck]

  public init(service: String, checks: [HealthCheck]) {
    self.service = service
    self.checks = checks
  }

  public func report() async -> HealthReport {
    let results = await withTaskGroup(of: (Int, HealthReport.Entry).self) { group in
      for (index, check) in checks.enumerated() {
        group.addTask { (index, await Self.run(check)) }
      }
      var entries: [(Int, HealthReport.Entry)] = []
      for await entry in group { entries.append(entry) }
      return entries
    }
    var byName: [String: HealthReport.Entry] = [:]
    var outcomes: [(HealthCheck.Impact, Bool)] = []
    for (index, entry) in results {
      byName[checks[index].name] = entry
      outcomes.append((checks[index].impact, entry.status == .ok))
    }
    return HealthReport(status: HealthReport.aggregate(outcomes), service: service, checks: byName)
  }

  private static func run(_ check: HealthCheck) async -> HealthReport.Entry {
    let clock = ContinuousClock()
    let start = clock.now
    let failure: String? = await withTaskGroup(of: String?.self) { group in
      group.addTask {
        do {
          try await check.probe()
          return nil
        } catch {
          return String(describing: error)
        }
      }
      group.addTask {
        try? await Task.sleep(for: check.timeout)
        return "timed out after \(check.timeout)"
      }
      let first = await group.next()!
      group.cancelAll()
      return first
    }
    let elapsed = clock.now - start
    let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    return HealthReport.Entry(
      status: failure == nil ? .ok : (check.impact == .critical ? .down : .degraded),
      latencyMs: (ms * 10).rounded() / 10,
      error: failure
    )
  }
}
