import Foundation
import ShopContracts
import Testing

@Suite struct PaymentCardTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)  // January 2027

  static func field(_ number: String, _ month: Int, _ year: Int, _ cvc: String) -> String? {
    do {
      _ = try PaymentCard(number: number, expiryMonth: month, expiryYear: year, cvc: cvc, now: now)
      return nil
    } catch {
      return error.field
    }
  }

  @Test func aValidCardIsTakenAndPrintsOnlyItsLastFour() throws {
    let card = try PaymentCard(
      number: "4242 4242 4242 4242", expiryMonth: 1, expiryYear: 2027, cvc: "123", now: Self.now)
    #expect(card.number.digits == "4242424242424242" && "\(card)" == "visa •••• 4242")
    #expect(Self.field("378282246310005", 1, 2027, "1234") == nil)
  }

  @Test func eachBrokenPartIsNamed() {
    #expect(Self.field("4242424242424241", 12, 2030, "123") == "number")
    #expect(Self.field("4242424242424242", 0, 2030, "123") == "exp_month")
    #expect(Self.field("4242424242424242", 12, 2026, "123") == "exp_year")
    #expect(Self.field("4242424242424242", 1, 10_000, "123") == "exp_year")
    #expect(Self.field("4242424242424242", 12, 2030, "12a") == "cvc")
    #expect(Self.field("378282246310005", 12, 2030, "123") == "cvc")
  }
}
