import Foundation
import Testing

@testable import UserService

@Suite struct CommonPasswordsTests {
  @Test func refusedWithoutRegardToCase() {
    #expect(CommonPasswords.contains("password1") && CommonPasswords.contains("PassWord1"))
    #expect(!CommonPasswords.contains("correct horse battery"))
  }

  /// The OpenAPI document lists the passwords registration refuses, so that a client (and the
  /// contract fuzzing) knows them; the two lists must stay one.
  @Test func theDocumentListsExactlyTheseWords() throws {
    let document = URL(filePath: #filePath).deletingLastPathComponent().appending(
      path: "../../Sources/APIGateway/openapi.yaml")
    let text = try String(contentsOf: document, encoding: .utf8)
    let register = try #require(text.range(of: "    RegisterRequest:"))
    let list = try #require(text.range(of: "enum:", range: register.upperBound..<text.endIndex))
    let end = try #require(text.range(of: "]", range: list.upperBound..<text.endIndex))
    let words = text[list.upperBound..<end.lowerBound].split(separator: "\"").enumerated()
      .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    #expect(Set(words) == CommonPasswords.list)
    #expect(words.count == CommonPasswords.list.count)
  }
}
