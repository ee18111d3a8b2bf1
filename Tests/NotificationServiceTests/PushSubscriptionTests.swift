import Crypto
import Foundation
import ShopContracts
import Testing

@testable import NotificationService

@Suite struct PushSubscriptionTests {
  static let key = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64URLEncodedString()
  static let auth = Data(repeating: 7, count: 16).base64URLEncodedString()

  @Test func aBrowsersSubscriptionIsReadWithItsKeys() throws {
    let checked = try PushSubscription.validated(
      endpoint: "https://push.example/send/abc", p256dh: Self.key, auth: Self.auth)
    #expect(checked.endpoint.host == "push.example" && checked.p256dh.count == 65 && checked.auth.count == 16)
  }

  @Test func keysOfTheWrongSizeOrEncodingAreRefusedByField() {
    let compressed = Data([0x02] + Array(repeating: 1, count: 32)).base64URLEncodedString()
    let cases: [(String, String, String, String)] = [
      ("", Self.key, Self.auth, "endpoint"),
      ("https://push.example/x", compressed, Self.auth, "keys.p256dh"),
      ("https://push.example/x", "not base64!", Self.auth, "keys.p256dh"),
      ("https://push.example/x", Self.key, Data(count: 8).base64URLEncodedString(), "keys.auth"),
    ]
    for (endpoint, key, auth, field) in cases {
      #expect {
        try PushSubscription.validated(endpoint: endpoint, p256dh: key, auth: auth)
      } throws: { error in
        guard case .validationFailed(let violations) = error as? NotificationError else { return false }
        return violations.map(\.field) == [field]
      }
    }
  }
}
