import Foundation
import JWTKit

/// The claims of an access token: who (`sub`), with which `role`, issued by whom for whom,
/// and for how long.
public struct AccessTokenClaims: JWTPayload, Equatable {
  public var sub: SubjectClaim
  public var role: String
  public var iss: IssuerClaim
  public var aud: AudienceClaim
  public var exp: ExpirationClaim
  public var nbf: NotBeforeClaim
  public var iat: IssuedAtClaim
  public var jti: IDClaim

  public init(subject: String, role: String, issuer: String, audience: String, issuedAt: Date, lifetime: TimeInterval) {
    self.sub = SubjectClaim(value: subject)
    self.role = role
    self.iss = IssuerClaim(value: issuer)
    self.aud = AudienceClaim(value: [audience])
    self.exp = ExpirationClaim(value: issuedAt.addingTimeInterval(lifetime))
    self.nbf = NotBeforeClaim(value: issuedAt.addingTimeInterval(-5))
    self.iat = IssuedAtClaim(value: issuedAt)
    self.jti = IDClaim(value: UUID().uuidString.lowercased())
  }

  /// The user id the token was issued to.
  public var subject: String { sub.value }

  /// Checks the times only; issuer and audience are checked by ``AccessTokenVerifier``,
  /// which knows what to expect.
  public func verify(using algorithm: some JWTAlgorithm) async throws {
    try exp.verifyNotExpired()
    try nbf.verifyNotBefore()
  }
}
