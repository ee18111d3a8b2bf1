import Testing

@testable import UserService

@Suite struct UserValidationTests {
  @Test(arguments: ["a@b.co", "first.last+tag@sub.example.org"])
  func acceptsEmails(_ email: String) {
    #expect(UserValidation.email(email).isEmpty)
  }

  @Test(arguments: ["", "plain", "@example.com", "a@", "a@b", "a b@example.com", "a@exa mple.com", "a@@b.co"])
  func refusesEmails(_ email: String) {
    #expect(UserValidation.email(email).map(\.field) == ["email"])
  }

  @Test func passwordsNeedEightCharactersAndMustNotBeCommon() {
    #expect(UserValidation.password("1234567").first?.reason.contains("at least 8") == true)
    #expect(UserValidation.password("Password1").first?.reason == "is too common")
    #expect(UserValidation.password(String(repeating: "x", count: 73)).first?.field == "password")
    #expect(UserValidation.password("correct horse battery").isEmpty)
  }

  @Test func phonesAndCountries() {
    #expect(UserValidation.phone("+1 (555) 123-4567").isEmpty)
    #expect(!UserValidation.phone("12").isEmpty)
    #expect(!UserValidation.phone("call me maybe").isEmpty)
    #expect(UserValidation.country("de").isEmpty)
    #expect(!UserValidation.country("DEU").isEmpty)
  }

  /// PostgreSQL cannot store NUL: refused as invalid, never passed on to fail as a 502.
  @Test(arguments: ["Ada\u{0}", "A\u{7}da", "line\nbreak"])
  func textWithControlCharactersIsRefused(text: String) {
    #expect(UserValidation.name(text).map(\.field) == ["name"])
    #expect(UserValidation.required(text, field: "city").map(\.field) == ["city"])
    #expect(UserValidation.name("Ada Lovelace").isEmpty && UserValidation.required("Zürich", field: "city").isEmpty)
  }
}
