/// The `Idempotency-Key` a client sends: 1 to 255 printable ASCII characters (the header's
/// value is a structured-field string; quotes around it are dropped).
public struct IdempotencyKey: Sendable, Hashable, CustomStringConvertible {
  public let value: String

  public init?(header: String) {
    var text = Substring(header)
    if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
    guard (1...255).contains(text.unicodeScalars.count),
      text.unicodeScalars.allSatisfy({ (0x20...0x7e).contains($0.value) && $0 != "\"" })
    else { return nil }
    value = String(text)
  }

  public var description: String { value }
}
