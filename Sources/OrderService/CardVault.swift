import Crypto
import Foundation
import ShopContracts

/// Seals a card for the one step that needs it, the charge, so that an instance taking a
/// saga over can still charge it; only the sealed form is written, and it is deleted once the
/// charge has an answer. AES-GCM with a key every instance shares, bound to the order id so
/// that one order's sealed card cannot stand in for another's.
public struct CardVault: Sendable {
  let key: SymmetricKey

  public init(key: Data) {
    self.key = SymmetricKey(data: key)
  }

  struct Sealed: Codable {
    var number: String
    var month: Int
    var year: Int
    var cvc: String
  }

  public func seal(_ card: PaymentCard, for orderID: UUID) throws -> Data {
    let plain = try JSONEncoder().encode(
      Sealed(number: card.number.digits, month: card.expiryMonth, year: card.expiryYear, cvc: card.cvc))
    guard let combined = try AES.GCM.seal(plain, using: key, authenticating: Data(orderID.lowercased.utf8)).combined
    else { throw CryptoKitError.incorrectParameterSize }
    return combined
  }

  /// The card, or nil when it cannot be opened (another key, another order, tampered).
  public func open(_ sealed: Data, for orderID: UUID, now: Date = Date()) -> PaymentCard? {
    guard let box = try? AES.GCM.SealedBox(combined: sealed),
      let plain = try? AES.GCM.open(box, using: key, authenticating: Data(orderID.lowercased.utf8)),
      let card = try? JSONDecoder().decode(Sealed.self, from: plain)
    else { return nil }
    return try? PaymentCard(
      number: card.number, expiryMonth: card.month, expiryYear: card.year, cvc: card.cvc, now: now)
  }
}
