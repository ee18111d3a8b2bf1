import Foundation

/// An address in a message header: a mailbox and an optional display name.
public struct MailAddress: Sendable, Hashable {
  public var name: String?
  public var mailbox: SMTPMailbox

  public init(_ mailbox: SMTPMailbox, name: String? = nil) {
    self.mailbox = mailbox
    self.name = name
  }

  /// `"Name" <local@domain>`, the name as a quoted string when it is printable ASCII and as an
  /// encoded word (RFC 2047) otherwise.
  var headerValue: String {
    guard let name, !name.isEmpty else { return "<\(mailbox.address)>" }
    let printable = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    let display =
      printable
      ? "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
      : EncodedWord.encode(name).joined(separator: " ")
    return "\(display) <\(mailbox.address)>"
  }
}
