import Foundation
import Prometheus
import ServiceLifecycle

/// The process's own resources, under the names Prometheus's client libraries use
/// (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_start_time_seconds`), sampled every `interval`, so that a dashboard shows each
/// program's CPU and memory beside its requests.
public struct ProcessMetrics: Service {
  let interval: Duration
  let cpu: Counter
  let resident: Gauge
  let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
  let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

  public init(registry: PrometheusCollectorRegistry, interval: Duration = .seconds(5)) {
    self.interval = interval
    cpu = registry.makeCounter(name: "process_cpu_seconds_total", help: "CPU time used, user and system, in seconds")
    resident = registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory in bytes")
    registry.makeGauge(name: "process_start_time_seconds", help: "Start of the process, seconds since the epoch")
      .set(Date().timeIntervalSince1970)
  }

  public func run() async throws {
    var counted = 0
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      if let stat = ProcessStat.current() {
        cpu.increment(by: Double(stat.cpuTicks - counted) / ticksPerSecond)
        counted = stat.cpuTicks
        resident.set(Double(stat.residentPages) * pageSize)
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
