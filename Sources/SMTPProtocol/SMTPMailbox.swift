/// An address as `MAIL FROM` and `RCPT TO` carry it (`local@domain`), checked so that no value
/// can end a command early or smuggle another one in.
public struct SMTPMailbox: Sendable, Hashable, CustomStringConvertible {
  public let address: String

  /// - Throws: ``SMTPProtocolError/Code/invalidAddress`` for anything but one `local@domain`
  ///   of printable characters without spaces or angle brackets.
  public init(_ address: String) throws(SMTPProtocolError) {
    let forbidden: Set<Unicode.Scalar> = ["<", ">", " ", "\t", "\r", "\n", "\0"]
    guard address.utf8.count <= 254, !address.unicodeScalars.contains(where: { forbidden.contains($0) }),
      let at = address.lastIndex(of: "@"), at != address.startIndex, address.index(after: at) != address.endIndex
    else {
      throw SMTPProtocolError(.invalidAddress, "not a mailbox: \(address.debugDescription)")
    }
    self.address = address
  }

  /// Whether the address needs the SMTPUTF8 extension (RFC 6531).
  public var isASCII: Bool { address.utf8.allSatisfy { $0 < 0x80 } }

  public var description: String { address }
}
