import Foundation
import JWTKit

/// Verifies access tokens against a JWKS: ES256 only, a known `kid`, a valid signature, the
/// expected issuer and audience, inside its validity period.
///
/// Keys come from `fetchKeys`; they are cached and fetched again when a token names a `kid`
/// the cache does not hold (a rotated key), at most once per `refetchInterval`.
public actor AccessTokenVerifier {
  public typealias KeyFetcher = @Sendable () async throws -> JWKSDocument

  private let issuer: String
  private let audience: String
  private let fetchKeys: KeyFetcher
  private let refetchInterval: Duration
  private var keys = JWTKeyCollection()
  private var knownKids: Set<String> = []
  private var lastFetch: ContinuousClock.Instant?
  /// Callers that came while a fetch was under way: they wait for its outcome instead of
  /// judging tokens against keys not loaded yet.
  private var waiting: [CheckedContinuation<Void, any Error>]?

  public init(
    issuer: String, audience: String, refetchInterval: Duration = .seconds(10), fetchKeys: @escaping KeyFetcher
  ) {
    self.issuer = issuer
    self.audience = audience
    self.fetchKeys = fetchKeys
    self.refetchInterval = refetchInterval
  }

  public func verify(_ token: String) async throws -> AccessTokenClaims {
    let header = try Self.header(of: token)
    guard header.alg == "ES256" else { throw AuthError.unsupportedAlgorithm(header.alg ?? "none") }
    guard let kid = header.kid, !kid.isEmpty else { throw AuthError.unknownKey("") }
    if !knownKids.contains(kid) {
      try await refresh(force: false)
      guard knownKids.contains(kid) else { throw AuthError.unknownKey(kid) }
    }
    let claims: AccessTokenClaims
    do {
      claims = try await keys.verify(token, as: AccessTokenClaims.self)
    } catch let error as JWTError {
      switch error.errorType {
      case .claimVerificationFailure:
        if error.failedClaim is ExpirationClaim { throw AuthError.expired }
        if error.failedClaim is NotBeforeClaim { throw AuthError.notYetValid }
        throw AuthError.invalidClaims(error.reason ?? "")
      case .signatureVerificationFailed: throw AuthError.invalidSignature
      default: throw AuthError.malformedToken
      }
    } catch {
      throw AuthError.malformedToken
    }
    guard claims.iss.value == issuer else { throw AuthError.wrongIssuer }
    guard claims.aud.value.contains(audience) else { throw AuthError.wrongAudience }
    guard UUID(uuidString: claims.sub.value) != nil, !claims.role.isEmpty else {
      throw AuthError.invalidClaims("sub or role")
    }
    return claims
  }

  /// Loads the keys now (at start-up, so the first request does not wait). Concurrent
  /// callers share one fetch and its outcome; a fetch that failed is tried again by the next
  /// caller, not only after `refetchInterval`.
  public func refresh(force: Bool) async throws {
    if waiting != nil {
      try await withCheckedThrowingContinuation { waiting?.append($0) }
      return
    }
    let now = ContinuousClock.now
    if !force, let last = lastFetch, now - last < refetchInterval { return }
    waiting = []
    let outcome: Result<Void, any Error>
    do {
      try await load(try await fetchKeys())
      lastFetch = now
      outcome = .success(())
    } catch {
      outcome = .failure(error)
    }
    let waiters = waiting ?? []
    waiting = nil
    for waiter in waiters { waiter.resume(with: outcome) }
    try outcome.get()
  }

  private func load(_ document: JWKSDocument) async throws {
    let collection = JWTKeyCollection()
    var kids: Set<String> = []
    for jwk in document.keys where jwk.kty == "EC" && jwk.crv == "P-256" {
      let key = try ES256PublicKey(parameters: (x: jwk.x, y: jwk.y))
      await collection.add(ecdsa: key, kid: JWKIdentifier(string: jwk.kid))
      kids.insert(jwk.kid)
    }
    keys = collection
    knownKids = kids
  }

  private struct Header: Decodable {
    var alg: String?
    var kid: String?
  }

  private static func header(of token: String) throws -> Header {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let data = Data(base64URL: String(parts[0])) else { throw AuthError.malformedToken }
    do {
      return try JSONDecoder().decode(Header.self, from: data)
    } catch {
      throw AuthError.malformedToken
    }
  }
}

extension Data {
  init?(base64URL: String) {
    var s = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    self.init(base64Encoded: s)
  }
}
