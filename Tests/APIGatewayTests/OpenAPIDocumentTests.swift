import Foundation
import Testing

@testable import APIGateway

@Suite struct OpenAPIDocumentTests {
  @Test func theBundledDocumentIsTheAPIsDescription() throws {
    let yaml = try OpenAPIDocument.load()
    #expect(yaml.hasPrefix("openapi: 3.1"))
    #expect(yaml.contains("/api/v1/users/register"))
  }

  /// A build that lost the document fails at start instead of serving an empty one.
  @Test func aMissingDocumentIsAnError() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let bundle = try #require(Bundle(path: empty.path))
    #expect(throws: (any Error).self) { try OpenAPIDocument.load(from: bundle) }
  }
}
