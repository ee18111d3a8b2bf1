import ShopRPC
import Testing

@testable import UserService

@Suite struct UserValidationTests {
  @Test(arguments: ["a@b.co", "first.last+tag@sub.example.org", " padded@example.com "])
  func acceptsEmails(_ email: String) {
    #expect(UserValidation.email(email).isEmpty)
  }

  @Test(arguments: [
    "", "plain", "@example.com", "a@", "a@b", "a b@example.com", "a@exa mple.com", "a@@b.co", "a\u{0}@b.co",
  ])
  func refusesEmails(_ email: String) {
    #expect(UserValidation.email(email).map(\.field) == ["email"])
  }

  @Test func passwordsNeedEightCharactersAndMustNotBeCommon() {
    #expect(UserValidation.password("1234567").first?.reason.contains("at least 8") == true)
    #expect(UserValidation.password("Password1").first?.reason == "is too common")
    #expect(UserValidation.password(String(repeating: "x", count: 73)).first?.field == "password")
    #expect(UserValidation.password("correct horse battery").isEmpty)
  }

  /// The document's `minLength` and `maxLength` count code points, and so does the check: 72
  /// three-byte characters are a valid password, which bcrypt alone could not tell apart.
  @Test func passwordLengthsCountCharactersNotBytes() {
    #expect(UserValidation.password(String(repeating: "ж", count: 72)).isEmpty)
    #expect(UserValidation.password(String(repeating: "e\u{301}", count: 4)).isEmpty)
    #expect(!UserValidation.password(String(repeating: "ж", count: 73)).isEmpty)
  }

  @Test func phones() {
    #expect(UserValidation.phone("+1 (555) 123-4567").isEmpty)
    #expect(!UserValidation.phone("12").isEmpty)
    #expect(!UserValidation.phone("call me maybe").isEmpty)
    #expect(!UserValidation.phone("١٢٣٤٥٦٧").isEmpty)
    #expect(!UserValidation.phone("").isEmpty)
  }

  /// PostgreSQL cannot store NUL: refused as invalid, never passed on to fail as a 502.
  @Test(arguments: ["Ada\u{0}", "A\u{7}da", "line\nbreak", "\u{85}"])
  func textWithControlCharactersIsRefused(text: String) {
    #expect(UserValidation.text(text, field: "name", rule: UserValidation.name).map(\.field) == ["name"])
  }

  @Test func namesNeedMoreThanWhiteSpaceAndAtMost200CodePoints() {
    let rule = UserValidation.name
    #expect(UserValidation.text("Ada Lovelace", field: "name", rule: rule).isEmpty)
    #expect(UserValidation.text("Zürich", field: "name", rule: rule).isEmpty)
    #expect(UserValidation.text(" \u{3000} ", field: "name", rule: rule).first?.reason == "is required")
    #expect(UserValidation.text(String(repeating: "a", count: 200), field: "name", rule: rule).isEmpty)
    // 200 characters as a reader sees them, 201 code points as JSON Schema counts them.
    let combining = String(repeating: "a", count: 199) + "e\u{301}"
    #expect(!UserValidation.text(combining, field: "name", rule: rule).isEmpty)
  }
}
