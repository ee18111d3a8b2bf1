import Foundation
import JWTKit

/// Signs access tokens with the service's ES256 key, `kid` in the header.
public struct AccessTokenIssuer: Sendable {
  public let key: SigningKey
  public let issuer: String
  public let audience: String
  public let lifetime: Duration
  private let keys: JWTKeyCollection

  public init(key: SigningKey, issuer: String, audience: String, lifetime: Duration = .seconds(900)) async {
    self.key = key
    self.issuer = issuer
    self.audience = audience
    self.lifetime = lifetime
    self.keys = JWTKeyCollection()
    await keys.add(ecdsa: key.privateKey, kid: JWKIdentifier(string: key.kid))
  }

  public func issue(subject: UUID, role: String, now: Date = Date()) async throws -> String {
    // NumericDate claims in whole seconds, as most verifiers expect.
    let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
    let claims = AccessTokenClaims(
      subject: subject.uuidString.lowercased(), role: role, issuer: issuer, audience: audience, issuedAt: issuedAt,
      lifetime: TimeInterval(lifetime.components.seconds)
    )
    return try await keys.sign(claims, kid: JWKIdentifier(string: key.kid))
  }

  /// The set of public keys verifiers should trust.
  public var jwks: JWKSDocument {
    JWKSDocument(keys: [key.publicJWK])
  }
}
