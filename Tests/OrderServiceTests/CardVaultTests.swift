import Foundation
import ShopContracts
import Testing

@testable import OrderService

@Suite struct CardVaultTests {
  let vault = CardVault(key: Data(repeating: 7, count: 32))
  let card = try! PaymentCard(number: "4242424242424242", expiryMonth: 12, expiryYear: 2099, cvc: "123")

  @Test func aSealedCardOpensForItsOrderOnly() throws {
    let order = UUID()
    let sealed = try vault.seal(card, for: order)
    #expect(!String(decoding: sealed, as: UTF8.self).contains("4242424242424242"))
    #expect(vault.open(sealed, for: order) == card)
    #expect(vault.open(sealed, for: UUID()) == nil)
    #expect(CardVault(key: Data(repeating: 8, count: 32)).open(sealed, for: order) == nil)
    var tampered = sealed
    tampered[tampered.count / 2] ^= 1
    #expect(vault.open(tampered, for: order) == nil)
  }
}
