import Testing

@testable import ProductService

/// The catalog's field rules, which the OpenAPI document states as patterns and lengths.
@Suite struct CatalogRulesTests {
  typealias Rules = CatalogRules

  @Test(arguments: ["lamps", "desk-lamps-2", String(repeating: "a", count: 100)])
  func slugsOfLowercaseLettersDigitsAndDashes(_ slug: String) {
    #expect(Rules.isSlug(slug))
  }

  @Test(arguments: ["", "Lamps", " lamps", "lamps\n", "lämps", String(repeating: "a", count: 101)])
  func otherSlugsAreRefusedAsSent(_ slug: String) {
    #expect(!Rules.isSlug(slug))
  }

  @Test func skusHoldNoWhiteSpaceOrControlAndAtMost64CodePoints() {
    #expect(Rules.isSKU("LAMP-1") && Rules.isSKU("ЛАМПА-1") && Rules.isSKU(String(repeating: "X", count: 64)))
    for bad in ["", " LAMP", "LAMP 1", "LAMP\u{3000}1", "LAMP\u{0}", String(repeating: "X", count: 65)] {
      #expect(!Rules.isSKU(bad), "\(bad.debugDescription)")
    }
  }

  @Test func aDescriptionMayBreakLinesAndANameMayNot() {
    let violations = Rules.textViolations([
      "name": ("Desk\nLamp", Rules.productName),
      "description": ("Bright.\nWarm.\r\n\tDimmable.", Rules.productDescription),
    ])
    #expect(violations.map(\.field) == ["name"])
  }

  @Test func pricesAndCurrencies() {
    #expect(Rules.priceViolations(0, "usd").isEmpty && Rules.priceViolations(CatalogRules.maximumPrice, "EUR").isEmpty)
    #expect(Rules.priceViolations(-1, "USD").map(\.field) == ["price.amount"])
    #expect(Rules.priceViolations(CatalogRules.maximumPrice + 1, "USD").map(\.field) == ["price.amount"])
    #expect(Rules.priceViolations(1, "US").map(\.field) == ["price.currency"])
    #expect(Rules.priceViolations(1, "ÜSD").map(\.field) == ["price.currency"])
  }
}
