import Foundation

/// The stack's processes as `/proc` shows them, grouped by the supervisord program they belong
/// to, and this process itself: what the report's CPU and memory figures come from. A process
/// belongs to the program supervisord names for its pid, else to the one its environment
/// names (`SUPERVISOR_PROCESS_NAME`, which children inherit), else to its parent's. The
/// environment alone is not enough: redis, nginx and PostgreSQL write their process titles
/// over it.
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
  /// - Parameter mainProcesses: each program's main pid, as supervisord reports them.
  func programs(mainProcesses: [Int: String] = [:]) -> [String: Usage] {
    struct Entry {
      var parent: Int
      var ticks: Int
      var named: String?
    }
    var entries: [Int: Entry] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
      guard let pid = Int(name), let stat = Self.stat(read("\(name)/stat")) else { continue }
      let named = mainProcesses[pid] ?? Self.programName(environment: read("\(name)/environ"))
      entries[pid] = Entry(parent: stat.parent, ticks: stat.ticks, named: named)
    }
    var owners: [Int: String?] = [:]
    func owner(_ pid: Int, depth: Int = 0) -> String? {
      if let known = owners[pid] { return known }
      guard let entry = entries[pid], depth < 64 else { return nil }
      let found = entry.named ?? (entry.parent > 1 ? owner(entry.parent, depth: depth + 1) : nil)
      owners[pid] = found
      return found
    }
    var usage: [String: Usage] = [:]
    for (pid, entry) in entries {
      guard let program = owner(pid) else { continue }
      let resident = Self.proportionalBytes(rollup: read("\(pid)/smaps_rollup")) ?? 0
      usage[program, default: Usage(cpuSeconds: 0, residentBytes: 0)].cpuSeconds +=
        Double(entry.ticks) / ticksPerSecond
      usage[program, default: Usage(cpuSeconds: 0, residentBytes: 0)].residentBytes += resident
    }
    return usage
  }

  /// This process's usage now.
  func current() -> Usage {
    Usage(
      cpuSeconds: Double(Self.stat(read("self/stat"))?.ticks ?? 0) / ticksPerSecond,
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

  /// The parent pid and utime + stime from a `stat` line: the fields after the parenthesised
  /// command name, which may itself hold spaces and parentheses.
  static func stat(_ line: String) -> (parent: Int, ticks: Int)? {
    guard let close = line.lastIndex(of: ")") else { return nil }
    let fields = line[line.index(after: close)...].split(separator: " ")
    // After the name: state is field 3 of the line, the parent 4, utime 14 and stime 15.
    guard fields.count > 12, let parent = Int(fields[1]), let user = Int(fields[11]), let system = Int(fields[12])
    else { return nil }
    return (parent, user + system)
  }

  /// Each program's main pid from `supervisorctl status` (`name  RUNNING  pid 42, uptime …`).
  static func mainProcesses(status: String) -> [Int: String] {
    var pids: [Int: String] = [:]
    for line in status.split(separator: "\n") {
      let words = line.split(separator: " ", omittingEmptySubsequences: true)
      guard words.count >= 4, words[1] == "RUNNING", words[2] == "pid", let pid = Int(words[3].dropLast()) else {
        continue
      }
      pids[pid] = String(words[0])
    }
    return pids
  }

  /// Asks supervisord (through `supervisorctl -c configuration status`) for each program's main pid.
  /// Waits for supervisorctl without holding a thread of the generator's small cooperative
  /// pool; its answer (a line per program) fits in the pipe, so it is read once it has ended.
  static func mainProcesses(supervisorConfiguration path: String) async -> [Int: String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["supervisorctl", "-c", path, "status"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    let ended = await withCheckedContinuation { continuation in
      process.terminationHandler = { _ in continuation.resume(returning: true) }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(returning: false)
      }
    }
    guard ended else { return [:] }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    return mainProcesses(status: String(decoding: data, as: UTF8.self))
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
