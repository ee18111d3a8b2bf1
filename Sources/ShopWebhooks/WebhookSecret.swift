import Crypto
import Foundation

/// The key a sender and a receiver of Standard Webhooks share, written `whsec_` followed by
/// the key's bytes in base64, as the scheme's libraries read it.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
  let key: SymmetricKey

  /// A new random key of 32 bytes.
  public static func generate() -> WebhookSecret {
    WebhookSecret(key: SymmetricKey(size: .bits256))
  }

  /// Reads `whsec_<base64>`, or bare base64; nil for anything else or an empty key.
  public init?(_ text: String) {
    let encoded = text.hasPrefix(Self.prefix) ? String(text.dropFirst(Self.prefix.count)) : text
    guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { return nil }
    key = SymmetricKey(data: bytes)
  }

  init(key: SymmetricKey) {
    self.key = key
  }

  /// The secret as it is handed to a receiver: `whsec_<base64>`.
  public var encoded: String {
    Self.prefix + key.withUnsafeBytes { Data($0).base64EncodedString() }
  }

  /// A key of its own for another use (`purpose`), derived from this one, so that one
  /// configured secret serves more than signing.
  public func derivedKey(for purpose: String) -> Data {
    Data(HMAC<SHA256>.authenticationCode(for: Data(purpose.utf8), using: key))
  }

  /// Never the key itself, so that logging a configuration cannot leak it.
  public var description: String { "whsec_…" }

  public static func == (lhs: WebhookSecret, rhs: WebhookSecret) -> Bool { lhs.key == rhs.key }

  private static let prefix = "whsec_"
}
