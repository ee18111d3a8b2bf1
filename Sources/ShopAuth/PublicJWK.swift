import Foundation

/// A P-256 public key as a JSON Web Key (RFC 7517), as published in a JWKS.
public struct PublicJWK: Codable, Sendable, Equatable {
  public var kty = "EC"
  public var crv = "P-256"
  public var alg = "ES256"
  public var use = "sig"
  public var kid: String
  public var x: String
  public var y: String

  public init(kid: String, x: String, y: String) {
    self.kid = kid
    self.x = x
    self.y = y
  }
}

/// A JSON Web Key Set: what `/.well-known/jwks.json` serves.
public struct JWKSDocument: Codable, Sendable, Equatable {
  public var keys: [PublicJWK]

  public init(keys: [PublicJWK]) {
    self.keys = keys
  }

  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  public static func parse(_ json: String) throws -> JWKSDocument {
    do {
      return try JSONDecoder().decode(JWKSDocument.self, from: Data(json.utf8))
    } catch {
      throw AuthError.invalidKey("the JWKS is not valid JSON: \(error)")
    }
  }
}
