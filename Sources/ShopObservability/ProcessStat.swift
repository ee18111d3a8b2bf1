import Foundation

/// What `/proc/self/stat` says about the process, for its resource metrics: the CPU time it
/// has used and its resident memory.
public struct ProcessStat: Sendable, Equatable {
  /// User and system CPU time, in clock ticks.
  public var cpuTicks: Int
  /// Resident set size, in pages.
  public var residentPages: Int

  /// Parses the one line of `/proc/<pid>/stat`. The command name (field 2) is in
  /// parentheses and may hold spaces and parentheses itself, so fields are counted from the
  /// last `)`: utime and stime are fields 14 and 15, rss is field 24.
  public init?(parsing line: String) {
    guard let close = line.lastIndex(of: ")") else { return nil }
    let fields = line[line.index(after: close)...].split(separator: " ")
    // fields[0] is field 3 (the state).
    guard fields.count > 21, let utime = Int(fields[11]), let stime = Int(fields[12]), let rss = Int(fields[21])
    else { return nil }
    cpuTicks = utime + stime
    residentPages = rss
  }

  /// This process now, or nil where there is no `/proc`.
  public static func current() -> ProcessStat? {
    guard let data = FileManager.default.contents(atPath: "/proc/self/stat") else { return nil }
    return ProcessStat(parsing: String(decoding: data, as: UTF8.self))
  }
}
