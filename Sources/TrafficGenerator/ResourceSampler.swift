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
  private let series = Mutex<[String: [Point]]>([:])

  init(table: ProcessTable = ProcessTable()) {
    self.table = table
  }

  var samples: [String: [Point]] { series.withLock { $0 } }

  /// Samples until the task is cancelled.
  func run() async {
    let clock = ContinuousClock()
    let start = clock.now
    var previous = usage()
    var previousTime = start
    while !Task.isCancelled {
      try? await Task.sleep(for: .seconds(1))
      let now = clock.now
      let current = usage()
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

  private func usage() -> [String: ProcessTable.Usage] {
    var usage = table.programs()
    usage[Self.generator] = table.current()
    return usage
  }
}
