import ShopContracts
import Testing

@Suite struct CardNumberTests {
  /// API.md's test cards all pass the Luhn check.
  @Test(arguments: ["4242424242424242", "4000000000000002", "4000000000009995", "4000000000000119", "4000000000003220"])
  func theSandboxTestCardsAreCardNumbers(_ number: String) throws {
    let card = try #require(CardNumber(number))
    #expect(card.brand == .visa && card.lastFour == String(number.suffix(4)))
  }

  @Test func groupsMayBeSeparatedBySpacesOrDashes() {
    #expect(CardNumber("4242 4242 4242 4242")?.digits == "4242424242424242")
    #expect(CardNumber("4242-4242-4242-4242")?.digits == "4242424242424242")
  }

  @Test(arguments: ["4242424242424241", "4242", "42424242424242424242", "4242x42424242424", "", "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢"])
  func otherTextIsNotACardNumber(_ text: String) {
    #expect(CardNumber(text) == nil)
  }

  @Test func brandsByTheirPrefixes() {
    #expect(CardNumber("5555555555554444")?.brand == .mastercard)
    #expect(CardNumber("2223003122003222")?.brand == .mastercard)
    #expect(CardNumber("378282246310005")?.brand == .amex)
    #expect(CardNumber("6011111111111117")?.brand == .discover)
  }

  @Test func printingACardShowsOnlyItsBrandAndLastFour() {
    #expect("\(CardNumber("4242424242424242")!)" == "visa •••• 4242")
  }
}
