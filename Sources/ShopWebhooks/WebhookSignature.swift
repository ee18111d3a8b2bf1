import Crypto
import Foundation

/// Signs and verifies webhooks the Standard Webhooks way: HMAC-SHA256 over
/// `<webhook-id>.<webhook-timestamp>.<body>`, sent as `webhook-signature: v1,<base64>`
/// (several, space-separated, while a key is rotated).
public struct WebhookSignature: Sendable {
  public let secret: WebhookSecret
  /// How far a timestamp may be from the receiver's clock, either way, before the webhook is
  /// refused as a replay or a forgery; the scheme's default.
  public var tolerance: Duration

  public init(secret: WebhookSecret, tolerance: Duration = .seconds(300)) {
    self.secret = secret
    self.tolerance = tolerance
  }

  /// The headers to send `body` with.
  public func headers(id: String, timestamp: Date, body: some DataProtocol) -> WebhookHeaders {
    let seconds = Int64(timestamp.timeIntervalSince1970.rounded(.down))
    return WebhookHeaders(id: id, timestamp: String(seconds), signature: "v1," + sign(id, String(seconds), body))
  }

  /// Checks headers received with `body`: present, timely, and signed with this secret.
  public func verify(_ headers: WebhookHeaders, body: some DataProtocol, now: Date = Date()) throws(WebhookError) {
    guard !headers.id.isEmpty, !headers.timestamp.isEmpty, !headers.signature.isEmpty else {
      throw .missingHeaders
    }
    guard let seconds = Int64(headers.timestamp) else { throw .invalidTimestamp }
    let age = now.timeIntervalSince1970 - Double(seconds)
    guard abs(age) <= Double(tolerance.components.seconds) else { throw .staleTimestamp }
    let expected = Data(base64Encoded: sign(headers.id, headers.timestamp, body))!
    let matches = headers.signature.split(separator: " ").contains { candidate in
      let parts = candidate.split(separator: ",", maxSplits: 1)
      guard parts.count == 2, parts[0] == "v1", let given = Data(base64Encoded: String(parts[1])) else { return false }
      return Self.constantTimeEqual(given, expected)
    }
    guard matches else { throw .badSignature }
  }

  private func sign(_ id: String, _ timestamp: String, _ body: some DataProtocol) -> String {
    var mac = HMAC<SHA256>(key: secret.key)
    mac.update(data: Data("\(id).\(timestamp).".utf8))
    mac.update(data: Data(body))
    return Data(mac.finalize()).base64EncodedString()
  }

  private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
  }
}

/// The three headers of a Standard Webhook.
public struct WebhookHeaders: Sendable, Equatable {
  public var id: String
  public var timestamp: String
  public var signature: String

  public init(id: String, timestamp: String, signature: String) {
    self.id = id
    self.timestamp = timestamp
    self.signature = signature
  }

  /// As sent on the wire, lower-case names first.
  public var fields: [(name: String, value: String)] {
    [("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", signature)]
  }
}

/// Why a received webhook is refused.
public enum WebhookError: Error, Equatable, Sendable {
  case missingHeaders
  case invalidTimestamp
  /// Too old or too far in the future: a replay, or a sender with a broken clock.
  case staleTimestamp
  /// No `v1` signature matches: another key, or a changed body.
  case badSignature
}
