/// What a server announced in its EHLO reply (RFC 5321 §4.1.1.1): one keyword per line after
/// the first, with its parameters.
public struct SMTPExtensions: Sendable, Hashable {
  /// Keyword (upper case) → parameters.
  public let keywords: [String: [String]]

  public init(keywords: [String: [String]] = [:]) {
    self.keywords = keywords
  }

  /// Reads a 250 reply to EHLO; the first line is the server's greeting, not an extension.
  public init(ehloReply reply: SMTPReply) {
    var keywords: [String: [String]] = [:]
    for line in reply.lines.dropFirst() {
      let words = line.split(separator: " ").map(String.init)
      guard let keyword = words.first?.uppercased() else { continue }
      keywords[keyword] = Array(words.dropFirst())
    }
    self.keywords = keywords
  }

  public func supports(_ keyword: String) -> Bool { keywords[keyword.uppercased()] != nil }

  public var pipelining: Bool { supports("PIPELINING") }
  public var startTLS: Bool { supports("STARTTLS") }
  public var smtpUTF8: Bool { supports("SMTPUTF8") }

  /// The SASL mechanisms offered, upper case.
  public var authMechanisms: Set<String> { Set((keywords["AUTH"] ?? []).map { $0.uppercased() }) }

  /// The largest message the server takes, when it says (`SIZE 0` means no fixed limit).
  public var maximumSize: Int? {
    guard let value = keywords["SIZE"]?.first, let size = Int(value), size > 0 else { return nil }
    return size
  }
}
