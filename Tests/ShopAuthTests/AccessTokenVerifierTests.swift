import Crypto
import Foundation
import JWTKit
import Synchronization
import Testing

@testable import ShopAuth

@Suite struct AccessTokenVerifierTests {
  let key: SigningKey
  let issuer: AccessTokenIssuer
  let verifier: AccessTokenVerifier
  let user = UUID()

  init() async throws {
    key = try SigningKey.generate()
    issuer = await AccessTokenIssuer(key: key, issuer: "swiftshop", audience: "swiftshop-api")
    let jwks = issuer.jwks
    verifier = AccessTokenVerifier(issuer: "swiftshop", audience: "swiftshop-api") { jwks }
  }

  @Test func acceptsATokenItIssued() async throws {
    let token = try await issuer.issue(subject: user, role: "customer")
    let claims = try await verifier.verify(token)
    #expect(claims.subject == user.uuidString.lowercased())
    #expect(claims.role == "customer")
    let header = try Self.json(token, part: 0)
    #expect(header["alg"] as? String == "ES256")
    #expect(header["kid"] as? String == key.kid)
  }

  @Test func refusesAlgNone() async throws {
    let token = try await issuer.issue(subject: user, role: "admin")
    let parts = token.split(separator: ".")
    let header = Self.b64(#"{"alg":"none","typ":"JWT","kid":"\#(key.kid)"}"#)
    await #expect(throws: AuthError.unsupportedAlgorithm("none")) {
      try await verifier.verify("\(header).\(parts[1]).")
    }
  }

  @Test func refusesHS256SignedWithThePublicKey() async throws {
    let token = try await issuer.issue(subject: user, role: "admin")
    let payload = token.split(separator: ".")[1]
    let header = Self.b64(#"{"alg":"HS256","typ":"JWT","kid":"\#(key.kid)"}"#)
    let input = "\(header).\(payload)"
    let secret = SymmetricKey(data: Data(key.privateKey.publicKey.pemRepresentation.utf8))
    let mac = Data(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: secret))
    await #expect(throws: AuthError.unsupportedAlgorithm("HS256")) {
      try await verifier.verify("\(input).\(Self.b64(mac))")
    }
  }

  @Test func refusesAnEditedPayload() async throws {
    let token = try await issuer.issue(subject: user, role: "customer")
    let parts = token.split(separator: ".").map(String.init)
    var claims = try Self.json(token, part: 1)
    claims["role"] = "admin"
    let edited = Self.b64(try JSONSerialization.data(withJSONObject: claims))
    await #expect(throws: AuthError.invalidSignature) {
      try await verifier.verify("\(parts[0]).\(edited).\(parts[2])")
    }
  }

  @Test func refusesAnotherAudienceOrIssuer() async throws {
    let other = await AccessTokenIssuer(key: key, issuer: "swiftshop", audience: "someone-else")
    await #expect(throws: AuthError.wrongAudience) {
      try await verifier.verify(try await other.issue(subject: user, role: "customer"))
    }
    let foreign = await AccessTokenIssuer(key: key, issuer: "elsewhere", audience: "swiftshop-api")
    await #expect(throws: AuthError.wrongIssuer) {
      try await verifier.verify(try await foreign.issue(subject: user, role: "customer"))
    }
  }

  @Test func refusesAnExpiredToken() async throws {
    let token = try await issuer.issue(subject: user, role: "customer", now: Date().addingTimeInterval(-3600))
    await #expect(throws: AuthError.expired) { try await verifier.verify(token) }
  }

  @Test func refusesAKeyItDoesNotKnowAndRefetchesForANewKid() async throws {
    let fetches = Mutex(0)
    let rotated = try SigningKey.generate()
    let rotatedIssuer = await AccessTokenIssuer(key: rotated, issuer: "swiftshop", audience: "swiftshop-api")
    let published = Mutex(issuer.jwks)
    let verifier = AccessTokenVerifier(issuer: "swiftshop", audience: "swiftshop-api", refetchInterval: .zero) {
      fetches.withLock { $0 += 1 }
      return published.withLock { $0 }
    }
    _ = try await verifier.verify(try await issuer.issue(subject: user, role: "customer"))
    let token = try await rotatedIssuer.issue(subject: user, role: "customer")
    await #expect(throws: AuthError.unknownKey(rotated.kid)) { try await verifier.verify(token) }
    published.withLock { $0 = JWKSDocument(keys: [key.publicJWK, rotated.publicJWK]) }
    _ = try await verifier.verify(token)
    #expect(fetches.withLock { $0 } == 3)
  }

  struct Unreachable: Error {}

  /// Requests that arrive together right after start share one fetch, and none is judged
  /// against keys not loaded yet; a fetch that failed fails them alike and is tried again.
  @Test func concurrentFirstVerificationsShareOneFetchAndItsOutcome() async throws {
    let fetches = Mutex(0)
    let reachable = Atomic(false)
    let jwks = issuer.jwks
    let verifier = AccessTokenVerifier(issuer: "swiftshop", audience: "swiftshop-api") {
      fetches.withLock { $0 += 1 }
      // Long enough for all twenty to arrive while it is under way.
      try await Task.sleep(for: .seconds(1))
      guard reachable.load(ordering: .relaxed) else { throw Unreachable() }
      return jwks
    }
    let token = try await issuer.issue(subject: user, role: "customer")
    func verifyAll() async -> [String] {
      await withTaskGroup(of: String.self) { group in
        for _ in 0..<20 {
          group.addTask {
            do {
              return try await verifier.verify(token).subject
            } catch {
              return "\(type(of: error))"
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
    }
    #expect(await verifyAll() == Array(repeating: "Unreachable", count: 20), "not unknownKey: the keys were not had")
    #expect(fetches.withLock { $0 } == 1)
    reachable.store(true, ordering: .relaxed)
    #expect(await verifyAll() == Array(repeating: user.uuidString.lowercased(), count: 20))
    #expect(fetches.withLock { $0 } == 2)
  }

  @Test func refusesGarbage() async {
    for token in ["", "abc", "a.b.c", "..."] {
      await #expect(throws: AuthError.self) { try await verifier.verify(token) }
    }
  }

  @Test func jwksRoundTrips() throws {
    let json = try issuer.jwks.json()
    #expect(try JWKSDocument.parse(json) == issuer.jwks)
    #expect(json.contains(#""kty":"EC""#) && json.contains(#""alg":"ES256""#))
  }

  static func b64(_ string: String) -> String { b64(Data(string.utf8)) }

  static func b64(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  static func json(_ token: String, part: Int) throws -> [String: Any] {
    var s = String(token.split(separator: ".")[part]).replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    return try JSONSerialization.jsonObject(with: Data(base64Encoded: s)!) as! [String: Any]
  }
}
