import Crypto
import Foundation
import JWTKit

/// An ES256 key that signs access tokens, with its key id: the RFC 7638 thumbprint of the
/// public key, so that the id changes exactly when the key does.
public struct SigningKey: Sendable {
  public let privateKey: ES256PrivateKey
  public let kid: String

  public init(pem: String) throws {
    try self.init(privateKey: ES256PrivateKey(pem: pem))
  }

  public init(privateKey: ES256PrivateKey) throws {
    self.privateKey = privateKey
    guard let parameters = privateKey.publicKey.parameters else {
      throw AuthError.invalidKey("the key has no public parameters")
    }
    self.kid = Self.thumbprint(x: parameters.x, y: parameters.y)
  }

  /// A fresh key, for tests.
  public static func generate() throws -> SigningKey {
    try SigningKey(privateKey: ES256PrivateKey())
  }

  /// The public half as a JSON Web Key.
  public var publicJWK: PublicJWK {
    let parameters = privateKey.publicKey.parameters!
    return PublicJWK(kid: kid, x: parameters.x, y: parameters.y)
  }

  static func thumbprint(x: String, y: String) -> String {
    let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
    return Data(SHA256.hash(data: Data(canonical.utf8))).base64URLEncoded()
  }
}

extension Data {
  func base64URLEncoded() -> String {
    base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }
}
