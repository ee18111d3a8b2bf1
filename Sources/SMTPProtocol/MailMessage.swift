import Foundation

/// An email (RFC 5322) with a text body and, optionally, an HTML alternative (RFC 2046
/// `multipart/alternative`), bodies in UTF-8 as quoted-printable, a non-ASCII subject as
/// encoded words (RFC 2047).
public struct MailMessage: Sendable {
  public var from: MailAddress
  public var to: [MailAddress]
  public var subject: String
  public var text: String
  public var html: String?
  public var date: Date
  /// With its angle brackets: `<id@domain>`.
  public var messageID: String
  /// Further header fields, in order (`Auto-Submitted`, `List-Unsubscribe`, …).
  public var headers: [(name: String, value: String)]

  /// A message dated now, with a new `Message-ID` in the sender's domain.
  public init(
    from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
    date: Date = Date(), messageID: String? = nil, headers: [(name: String, value: String)] = []
  ) {
    self.from = from
    self.to = to
    self.subject = subject
    self.text = text
    self.html = html
    self.date = date
    let domain = from.mailbox.address.split(separator: "@").last.map(String.init) ?? "localhost"
    self.messageID = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
    self.headers = headers
  }

  /// The message as sent, with CRLF line endings.
  ///
  /// - Throws: ``SMTPProtocolError/Code/invalidHeader`` when a header value holds a line
  ///   break, which would let it add header fields of its own.
  public func rendered() throws(SMTPProtocolError) -> [UInt8] {
    var lines: [String] = []
    func field(_ name: String, _ value: String) throws(SMTPProtocolError) {
      // Folding (CRLF and a space) continues a field; any other line break would start one.
      let unfolded = value.replacingOccurrences(of: "\r\n ", with: " ")
      guard !unfolded.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }),
        !name.contains(where: { $0 == ":" || $0.isWhitespace })
      else {
        throw SMTPProtocolError(.invalidHeader, "the header field \(name) would break the message")
      }
      lines.append(Self.fold("\(name): \(value)"))
    }
    try field("Date", Self.rfc5322Date(date))
    try field("From", from.headerValue)
    try field("To", to.map(\.headerValue).joined(separator: ", "))
    try field("Subject", Self.headerText(subject))
    try field("Message-ID", messageID)
    for header in headers { try field(header.name, header.value) }
    try field("MIME-Version", "1.0")
    if let html {
      let boundary = "=_alt_\(UUID().uuidString.lowercased())"
      try field("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
      lines.append("")
      for (type, body) in [("text/plain", text), ("text/html", html)] {
        lines.append("--\(boundary)")
        lines += Self.part(type: type, body: body)
      }
      lines.append("--\(boundary)--")
    } else {
      lines += Self.part(type: "text/plain", body: text)
    }
    return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
  }

  private static func part(type: String, body: String) -> [String] {
    [
      "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
      QuotedPrintable.encode(body),
    ]
  }

  /// Unstructured header text: as it is when ASCII, as encoded words otherwise (folded one
  /// word per line).
  static func headerText(_ text: String) -> String {
    let ascii = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    return ascii ? text : EncodedWord.encode(text).joined(separator: "\r\n ")
  }

  /// Folds a field longer than 78 characters at spaces (RFC 5322 §2.2.3); encoded words come
  /// already folded.
  static func fold(_ line: String) -> String {
    guard line.count > 78, !line.contains("\r\n") else { return line }
    var output: [String] = []
    var current = ""
    for word in line.split(separator: " ", omittingEmptySubsequences: false) {
      if !current.isEmpty && current.count + 1 + word.count > 78 {
        output.append(current)
        current = String(word)
      } else {
        current = current.isEmpty && output.isEmpty ? String(word) : current + " " + word
      }
    }
    output.append(current)
    return output.joined(separator: "\r\n ")
  }

  static func rfc5322Date(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
    return
      "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
      + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
  }
}
