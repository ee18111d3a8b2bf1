import Crypto
import Foundation
import ShopContracts
import Testing

@testable import NotificationService

@Suite struct VAPIDAuthorizationTests {
  @Test func theTokenIsAnES256JWTForThePushServicesOrigin() throws {
    let key = P256.Signing.PrivateKey()
    let vapid = try VAPIDAuthorization(key: key, subject: "mailto:ops@swiftshop.local")
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let header = try vapid.header(for: URL(string: "https://push.example.net:8443/send/abc?x=1")!, now: now)
    let match = try #require(header.wholeMatch(of: /vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)/))
    #expect(String(match.4) == vapid.publicKey && Data(base64URLEncoded: String(match.4))?.count == 65)

    let parts = try [match.1, match.2, match.3].map { try #require(Data(base64URLEncoded: String($0))) }
    let signature = try P256.Signing.ECDSASignature(rawRepresentation: parts[2])
    #expect(key.publicKey.isValidSignature(signature, for: Data("\(match.1).\(match.2)".utf8)))

    let joseHeader = try JSONSerialization.jsonObject(with: parts[0]) as? [String: String]
    #expect(joseHeader == ["typ": "JWT", "alg": "ES256"])
    let object = try JSONSerialization.jsonObject(with: parts[1])
    let claims = try #require(object as? [String: Any])
    #expect(claims["aud"] as? String == "https://push.example.net:8443")
    #expect(claims["sub"] as? String == "mailto:ops@swiftshop.local")
    #expect(claims["exp"] as? Int == 1_800_000_000 + 12 * 3600)
  }

  @Test func aLifetimeBeyond24HoursIsRefused() {
    #expect(throws: VAPIDAuthorization.Failure.lifetimeTooLong) {
      try VAPIDAuthorization(key: P256.Signing.PrivateKey(), subject: "mailto:a@b.c", lifetime: .seconds(25 * 3600))
    }
  }

  @Test func anEndpointWithoutAnOriginIsRefused() throws {
    let vapid = try VAPIDAuthorization(key: P256.Signing.PrivateKey(), subject: "mailto:a@b.c")
    #expect(throws: VAPIDAuthorization.Failure.self) { try vapid.header(for: URL(string: "relative/path")!) }
  }
}
