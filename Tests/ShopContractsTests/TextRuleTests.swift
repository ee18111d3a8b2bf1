import ShopContracts
import Testing

@Suite struct TextRuleTests {
  @Test func lengthsCountCodePointsAsJSONSchemaDoes() {
    let rule = TextRule(maxLength: 3)
    #expect(rule.violation("abc") == nil)
    #expect(rule.violation("abcd") == "must be at most 3 characters")
    // One character to a reader, two code points: "é" spelled with a combining accent.
    #expect(rule.violation("abe\u{301}") == "must be at most 3 characters")
  }

  @Test(arguments: ["\u{0}", "a\u{7}", "a\nb", "a\tb", "\u{7f}", "\u{85}x", "x\u{9f}"])
  func controlCharactersAreRefused(_ text: String) {
    #expect(TextRule(maxLength: 10).violation(text) == "must not contain control characters")
  }

  @Test func multiLineTextMayBreakLinesAndTabButHoldsNoOtherControl() {
    let rule = TextRule(maxLength: 100, isRequired: false, allowsLineBreaks: true)
    #expect(rule.violation("one\ntwo\r\nthree\tfour") == nil)
    #expect(rule.violation("bell\u{7}") == "must not contain control characters")
  }

  @Test func aRequiredValueNeedsMoreThanWhiteSpace() {
    let rule = TextRule(maxLength: 10)
    #expect(rule.violation("") == "is required")
    #expect(rule.violation(" \u{3000}\u{a0} ") == "is required")
    #expect(rule.violation(" x ") == nil)
    #expect(TextRule(maxLength: 10, isRequired: false).violation("") == nil)
  }

  @Test func trimmingRemovesWhiteSpaceAroundTheValueOnly() {
    #expect("\u{3000} Ada  Lovelace \u{a0}".trimmingWhiteSpace() == "Ada  Lovelace")
    #expect("   ".trimmingWhiteSpace() == "")
    #expect(" e\u{301} ".trimmingWhiteSpace() == "e\u{301}")
  }

  @Test func identifiersMayHoldNoControlCharacter() {
    #expect("SKU-1\u{0}".containsControlCharacters)
    #expect(!"SKU-1".containsControlCharacters)
  }
}
