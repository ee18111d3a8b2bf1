import Crypto
import Foundation
import ShopContracts
import ShopRPC

/// A browser's push subscription: where to push (RFC 8030) and the keys to encrypt for
/// (RFC 8291), as the browser gave them.
public struct PushSubscription: Sendable, Hashable {
  public var id: UUID
  public var userID: UUID
  public var endpoint: URL
  /// The subscription's P-256 public key, uncompressed (65 bytes).
  public var p256dh: Data
  /// Its authentication secret (16 bytes).
  public var auth: Data
  public var createdAt: Date

  public init(id: UUID, userID: UUID, endpoint: URL, p256dh: Data, auth: Data, createdAt: Date) {
    self.id = id
    self.userID = userID
    self.endpoint = endpoint
    self.p256dh = p256dh
    self.auth = auth
    self.createdAt = createdAt
  }

  /// Checks what a client sent: an endpoint URL of at most 2048 characters and the two keys
  /// in base64url, of the sizes RFC 8291 gives. The address guard is applied separately.
  public static func validated(endpoint: String, p256dh: String, auth: String) throws(NotificationError)
    -> (endpoint: URL, p256dh: Data, auth: Data)
  {
    var violations: [NotificationError.FieldViolation] = []
    let url = URL(string: endpoint)
    if endpoint.isEmpty || endpoint.count > 2048 || url?.host == nil {
      violations.append(.init(field: "endpoint", reason: "must be an absolute URL of at most 2048 characters"))
    }
    let key = Data(base64URLEncoded: p256dh)
    if key.flatMap({ try? P256.KeyAgreement.PublicKey(x963Representation: $0) }) == nil || key?.count != 65 {
      violations.append(.init(field: "keys.p256dh", reason: "must be an uncompressed P-256 public key in base64url"))
    }
    let secret = Data(base64URLEncoded: auth)
    if secret?.count != 16 {
      violations.append(.init(field: "keys.auth", reason: "must be 16 bytes in base64url"))
    }
    guard violations.isEmpty, let url, let key, let secret else { throw .validationFailed(violations) }
    return (url, key, secret)
  }
}
