import Synchronization

/// Samples every stack program's CPU and memory, and the generator's own, once a second
/// while a run lasts.
public final class ResourceSampler: Sendable {
  /// One program at one second.
  public struct Point: Sendable, Codable, Equatable {
    public var second: Double
    /// CPU over the last second: 100 is one core busy.
    public var cpuPercent: Double
    public var residentMB: Double

    enum CodingKeys: String, CodingKey {
      case second
      case cpuPercent = "cpu_percent"
      case residentMB = "resident_mb"
    }
  }

  /// The generator's own series is kept under this name.
  static let generator = "generator"

  let table: ProcessTable
  /// Where supervisord's control socket is configured; nil leaves attribution to `/proc` alone.
  let supervisorConfiguration: String?
  private let series = Mutex<[String: [Point]]>([:])

  init(table: ProcessTable = ProcessTable(), supervisorConfiguration: String?) {
    self.table = table
    self.supervisorConfiguration = supervisorConfiguration
  }

  var samples: [String: [Point]] { series.withLock { $0 } }

  /// Samples until the task is cancelled.
  func run() async {
    let clock = ContinuousClock()
    let start = clock.now
    // supervisord is asked again every few seconds, for a program that restarted.
    var mainProcesses: [Int: String] = [:]
    if let supervisorConfiguration {
      mainProcesses = await ProcessTable.mainProcesses(supervisorConfiguration: supervisorConfiguration)
    }
    var previous = usage(mainProcesses)
    var previousTime = start
    var samples = 0
    while !Task.isCancelled {
      try? await Task.sleep(for: .seconds(1))
      samples += 1
      if let supervisorConfiguration, samples % 10 == 0 {
        mainProcesses = await ProcessTable.mainProcesses(supervisorConfiguration: supervisorConfiguration)
      }
      let now = clock.now
      let current = usage(mainProcesses)
      let elapsed = (now - previousTime) / .seconds(1)
      let second = (now - start) / .seconds(1)
      series.withLock { series in
        for (program, usage) in current {
          let before = previous[program]?.cpuSeconds ?? usage.cpuSeconds
          series[program, default: []].append(
            Point(
              second: second, cpuPercent: max(0, (usage.cpuSeconds - before) / elapsed * 100),
              residentMB: Double(usage.residentBytes) / 1_048_576))
        }
      }
      previous = current
      previousTime = now
    }
  }

  private func usage(_ mainProcesses: [Int: String]) -> [String: ProcessTable.Usage] {
    var usage = table.programs(mainProcesses: mainProcesses)
    usage[Self.generator] = table.current()
    return usage
  }
}
