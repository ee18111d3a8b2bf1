import Foundation
import Testing

@testable import APIGateway

@Suite struct OmissibleTests {
  private struct Body: Decodable {
    var name: String
    @Omissible var phone: String?
    @Omissible var isDefault: Bool?
  }

  private func decode(_ json: String) throws -> Body {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Body.self, from: Data(json.utf8))
  }

  @Test func aFieldLeftOutIsNilAndAGivenOneHoldsItsValue() throws {
    let left = try decode(#"{"name": "Ada"}"#)
    #expect(left.phone == nil && left.isDefault == nil)
    let given = try decode(#"{"name": "Ada", "phone": "+44 20 7946 0958", "is_default": false}"#)
    #expect(given.phone == "+44 20 7946 0958" && given.isDefault == false)
  }

  @Test(arguments: [#"{"name": "Ada", "phone": null}"#, #"{"name": "Ada", "is_default": null}"#])
  func nullIsRefusedAsTheWrongType(_ json: String) {
    #expect(throws: DecodingError.self) { try decode(json) }
  }

  /// Members the body does not read are ignored, whatever they hold.
  @Test func unknownMembersMayBeNull() throws {
    #expect(try decode(#"{"name": "Ada", "nickname": null, "extra": [null]}"#).phone == nil)
  }
}
