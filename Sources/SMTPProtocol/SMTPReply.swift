/// A server reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
  /// The reply code, 200 to 599.
  public let code: Int
  /// The text of each line, without the code, the separator and the line ending.
  public let lines: [String]

  public init(code: Int, lines: [String]) {
    self.code = code
    self.lines = lines.isEmpty ? [""] : lines
  }

  /// 2xx: the command was accepted and its action completed.
  public var isCompletion: Bool { (200..<300).contains(code) }
  /// 3xx: the command was accepted and the server waits for more (DATA's 354, AUTH's 334).
  public var isIntermediate: Bool { (300..<400).contains(code) }
  /// 4xx: the command failed for now; the same command may succeed later.
  public var isTransientFailure: Bool { (400..<500).contains(code) }
  /// 5xx: the command failed and repeating it will fail again.
  public var isPermanentFailure: Bool { (500..<600).contains(code) }

  /// The lines joined, for errors and logs.
  public var text: String { lines.joined(separator: " ") }

  public var description: String { "\(code) \(text)" }
}
