import Foundation

/// The stack's processes as `/proc` shows them, grouped by the supervisord program they belong
/// to (the `SUPERVISOR_PROCESS_NAME` a program and all its children inherit), and this
/// process itself: what the report's CPU and memory figures come from.
struct ProcessTable: Sendable {
  /// One program's figures at one moment.
  struct Usage: Sendable, Equatable {
    /// User and system CPU, in seconds, since each process started.
    var cpuSeconds: Double
    /// Proportional set size (shared pages split among the processes sharing them), in bytes.
    var residentBytes: Int
  }

  let root: String
  /// Clock ticks per second of `/proc/<pid>/stat`'s times.
  let ticksPerSecond: Double

  init(root: String = "/proc") {
    self.root = root
    ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  /// Every supervisord program's usage now, by program name.
  func programs() -> [String: Usage] {
    var usage: [String: Usage] = [:]
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    for pid in entries where pid.allSatisfy(\.isNumber) {
      guard let program = Self.programName(environment: read("\(pid)/environ")),
        let times = Self.cpuTicks(stat: read("\(pid)/stat"))
      else { continue }
      let resident = Self.proportionalBytes(rollup: read("\(pid)/smaps_rollup")) ?? 0
      usage[program, default: Usage(cpuSeconds: 0, residentBytes: 0)].cpuSeconds += Double(times) / ticksPerSecond
      usage[program, default: Usage(cpuSeconds: 0, residentBytes: 0)].residentBytes += resident
    }
    return usage
  }

  /// This process's usage now.
  func current() -> Usage {
    Usage(
      cpuSeconds: Double(Self.cpuTicks(stat: read("self/stat")) ?? 0) / ticksPerSecond,
      residentBytes: Self.proportionalBytes(rollup: read("self/smaps_rollup")) ?? 0)
  }

  private func read(_ path: String) -> String {
    (try? String(contentsOfFile: "\(root)/\(path)", encoding: .isoLatin1)) ?? ""
  }

  /// `SUPERVISOR_PROCESS_NAME` from a NUL-separated environment.
  static func programName(environment: String) -> String? {
    for entry in environment.split(separator: "\0") where entry.hasPrefix("SUPERVISOR_PROCESS_NAME=") {
      return String(entry.dropFirst("SUPERVISOR_PROCESS_NAME=".count))
    }
    return nil
  }

  /// utime + stime from a `stat` line; the fields after the parenthesised command name, whose
  /// name may itself hold spaces and parentheses.
  static func cpuTicks(stat: String) -> Int? {
    guard let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the name: state is field 3 of the line, utime 14 and stime 15.
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
    return user + system
  }

  /// `Pss:` of `smaps_rollup`, in bytes.
  static func proportionalBytes(rollup: String) -> Int? {
    for line in rollup.split(separator: "\n") where line.hasPrefix("Pss:") {
      let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
      return kilobytes.map { $0 * 1024 }
    }
    return nil
  }
}
