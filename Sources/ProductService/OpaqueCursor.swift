import Foundation

/// How the service's cursors travel: base64url JSON, opaque to clients. A string that does
/// not decode to the expected cursor is `invalid_cursor`, whatever went wrong.
enum OpaqueCursor {
  /// Room for a search cursor carrying 200 characters of corrected text.
  static let maximumLength = 2048

  static func encode(_ cursor: some Encodable) -> String {
    let data = (try? JSONEncoder().encode(cursor)) ?? Data()
    return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  static func decode<Cursor: Decodable>(_ type: Cursor.Type, from encoded: String) throws -> Cursor {
    var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard encoded.count <= maximumLength, let data = Data(base64Encoded: base64),
      let cursor = try? JSONDecoder().decode(type, from: data)
    else {
      throw ProductError.invalidCursor
    }
    return cursor
  }
}
