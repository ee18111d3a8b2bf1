import Crypto
import Foundation
import ShopContracts

/// All the sandbox keeps of a card.
public struct CardSummary: Sendable, Equatable, Codable {
  public var brand: String
  public var lastFour: String
  public var fingerprint: String

  public init(brand: String, lastFour: String, fingerprint: String) {
    self.brand = brand
    self.lastFour = lastFour
    self.fingerprint = fingerprint
  }

  static func fingerprint(of number: CardNumber, key: Data) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: Data(number.digits.utf8), using: SymmetricKey(data: key))
    return Data(mac).prefix(12).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
  }
}
