import Crypto
import Foundation
import ShopContracts

/// The `Authorization` header that identifies this server to a push service (RFC 8292):
/// `vapid t=<JWT>, k=<public key>`, the JWT signed with ES256 and naming the push service's
/// origin (`aud`), an expiry at most 24 hours ahead (`exp`) and a contact (`sub`).
public struct VAPIDAuthorization: Sendable {
  public enum Failure: Error, Equatable {
    /// The endpoint has no scheme and host to make an origin of.
    case invalidEndpoint(String)
    /// RFC 8292 §2: push services refuse tokens valid for more than 24 hours.
    case lifetimeTooLong
  }

  private let key: P256.Signing.PrivateKey
  /// `mailto:` or `https:` contact of the operator.
  public let subject: String
  public let lifetime: Duration

  public init(key: P256.Signing.PrivateKey, subject: String, lifetime: Duration = .seconds(12 * 3600)) throws {
    guard lifetime <= .seconds(24 * 3600) else { throw Failure.lifetimeTooLong }
    self.key = key
    self.subject = subject
    self.lifetime = lifetime
  }

  /// The application server key that subscriptions are made with
  /// (`applicationServerKey`): the uncompressed public point, base64url.
  public var publicKey: String { key.publicKey.x963Representation.base64URLEncodedString() }

  /// The header for a push to `endpoint`, valid from `now`.
  public func header(for endpoint: URL, now: Date = Date()) throws -> String {
    guard let scheme = endpoint.scheme, let host = endpoint.host else {
      throw Failure.invalidEndpoint(endpoint.absoluteString)
    }
    let origin = "\(scheme)://\(host)" + (endpoint.port.map { ":\($0)" } ?? "")
    let expiry = Int(now.timeIntervalSince1970) + Int(lifetime.components.seconds)
    let header = try JSONSerialization.data(withJSONObject: ["typ": "JWT", "alg": "ES256"], options: [.sortedKeys])
    let claims = try JSONSerialization.data(
      withJSONObject: ["aud": origin, "exp": expiry, "sub": subject] as [String: Any], options: [.sortedKeys])
    let signingInput = header.base64URLEncodedString() + "." + claims.base64URLEncodedString()
    // JWS ES256 signatures are r and s side by side (RFC 7518 §3.4), not DER.
    let signature = try key.signature(for: Data(signingInput.utf8)).rawRepresentation
    return "vapid t=\(signingInput).\(signature.base64URLEncodedString()), k=\(publicKey)"
  }
}
