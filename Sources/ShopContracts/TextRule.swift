/// How a text field a client sends is checked, in the terms the OpenAPI document states it:
/// lengths count Unicode code points (JSON Schema's `maxLength`), no control character
/// (category Cc) is allowed except the line breaks and tabs of multi-line text, since
/// PostgreSQL cannot store NUL and none belongs in a name, and white space around a value is
/// removed before it is stored. A required value must hold more than white space.
public struct TextRule: Sendable {
  public var maxLength: Int
  public var isRequired: Bool
  public var allowsLineBreaks: Bool

  public init(maxLength: Int, isRequired: Bool = true, allowsLineBreaks: Bool = false) {
    self.maxLength = maxLength
    self.isRequired = isRequired
    self.allowsLineBreaks = allowsLineBreaks
  }

  /// Why `value` is refused, or nil when it may be stored (as `value.trimmingWhiteSpace()`).
  public func violation(_ value: String) -> String? {
    let scalars = value.unicodeScalars
    if scalars.count > maxLength { return "must be at most \(maxLength) characters" }
    if scalars.contains(where: { $0.isControl && !(allowsLineBreaks && Self.lineBreaks.contains($0)) }) {
      return "must not contain control characters"
    }
    if isRequired && scalars.allSatisfy(\.isWhiteSpace) { return "is required" }
    return nil
  }

  private static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\r", "\t"]
}

extension Unicode.Scalar {
  /// Category Cc: U+0000–U+001F and U+007F–U+009F.
  public var isControl: Bool { properties.generalCategory == .control }

  /// Unicode's White_Space property, which the document's patterns spell out.
  public var isWhiteSpace: Bool { properties.isWhitespace }

  /// `0`–`9` only: the document's `[0-9]`, not every script's digits.
  public var isASCIIDigit: Bool { ("0"..."9").contains(self) }

  /// `a`–`z` and `A`–`Z` only.
  public var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension String {
  /// The text without the white space around it.
  public func trimmingWhiteSpace() -> String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first.isWhiteSpace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhiteSpace { scalars.removeLast() }
    return String(scalars)
  }

  /// Whether the text holds a control character: an identifier, a code or a query may not.
  public var containsControlCharacters: Bool { unicodeScalars.contains(where: \.isControl) }
}
