import Foundation

/// How the services' cursors travel: base64url JSON, opaque to clients. A string that does not
/// decode to the expected cursor is nil, whatever went wrong; each service answers that with
/// its own `400`.
public enum OpaqueCursor {
  /// Room for a search cursor carrying 200 characters of corrected text.
  public static let maximumLength = 2048

  public static func encode(_ cursor: some Encodable) -> String {
    let data = (try? JSONEncoder().encode(cursor)) ?? Data()
    return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  public static func decode<Cursor: Decodable>(_ type: Cursor.Type, from encoded: String) -> Cursor? {
    var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard encoded.count <= maximumLength, let data = Data(base64Encoded: base64) else { return nil }
    return try? JSONDecoder().decode(type, from: data)
  }
}
