import Foundation

/// Searches every program's log in a directory (the stack's `.run/log/`: `<program>.log`,
/// and `<program>.log.<n>` when supervisord has rotated it) and returns the matching lines of all of them merged in time order, so that
/// one request's lines from every service read as one story.
public enum LogSearch {
  public static func search(directory: URL, query: LogQuery) throws -> [LogRecord] {
    let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
      .compactMap { file in program(ofLog: file.lastPathComponent).map { (file, $0) } }
      .sorted { $0.0.lastPathComponent < $1.0.lastPathComponent }
    var found: [LogRecord] = []
    for (file, program) in files {
      guard let data = FileManager.default.contents(atPath: file.path) else { continue }
      for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where query.mayMatch(line) {
        if let record = LogRecord(line: String(line), program: program), query.matches(record) {
          found.append(record)
        }
      }
    }
    // Stable: lines of one program at the same millisecond keep their order.
    return found.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
      .map(\.element)
  }

  /// `order-2` for `order-2.log` and `order-2.log.3`; nil for a file that is not a log.
  static func program(ofLog name: String) -> String? {
    guard let range = name.range(of: ".log"), range.lowerBound > name.startIndex else { return nil }
    let rest = name[range.upperBound...]
    guard rest.isEmpty || (rest.first == "." && rest.dropFirst().allSatisfy(\.isNumber) && rest.count > 1) else {
      return nil
    }
    return String(name[..<range.lowerBound])
  }
}
