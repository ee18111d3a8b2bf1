import Testing

@testable import UserService

@Suite struct PasswordHasherTests {
  private let hasher = PasswordHasher(cost: 4)

  @Test func aPasswordVerifiesAgainstItsHashAndNoOther() async throws {
    let hash = try await hasher.hash("correct horse battery")
    #expect(try await hasher.verify("correct horse battery", hash: hash))
    #expect(try await !hasher.verify("correct horse battery!", hash: hash))
  }

  /// bcrypt reads 72 bytes; two long passwords that differ only after them must not be
  /// interchangeable.
  @Test func everyCharacterOfALongPasswordCounts() async throws {
    let prefix = String(repeating: "ж", count: 36)  // 72 bytes
    let hash = try await hasher.hash(prefix + "one")
    #expect(try await hasher.verify(prefix + "one", hash: hash))
    #expect(try await !hasher.verify(prefix + "two", hash: hash))
  }

  /// Passwords up to 72 bytes go to bcrypt as they are, so the hashes stored before long
  /// passwords were digested first still verify.
  @Test func passwordsThatFitBcryptAreGivenAsTheyAre() {
    #expect(PasswordHasher.bcryptInput("short and sweet") == "short and sweet")
    #expect(PasswordHasher.bcryptInput(String(repeating: "x", count: 73)).utf8.count == 44)
  }
}
