import Foundation

/// How the services' cursors travel: base64url JSON, opaque to clients. A string that does not
/// decode to the expected cursor is nil, whatever went wrong; each service answers that with
/// its own `400`.
public enum OpaqueCursor {
  /// Room for a search cursor carrying 200 characters of corrected text.
  public static let maximumLength = 2048

  public static func encode(_ cursor: some Encodable) -> String {
    ((try? JSONEncoder().encode(cursor)) ?? Data()).base64URLEncodedString()
  }

  public static func decode<Cursor: Decodable>(_ type: Cursor.Type, from encoded: String) -> Cursor? {
    guard encoded.count <= maximumLength, let data = Data(base64URLEncoded: encoded) else { return nil }
    return try? JSONDecoder().decode(type, from: data)
  }
}
