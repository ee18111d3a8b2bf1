import ShopContracts
import Testing

@Suite struct PostalAddressTests {
  static func address(
    line1: String = "1 Main St", line2: String? = nil, city: String = "Berlin", postalCode: String = "10115",
    country: String = "de"
  ) -> PostalAddress {
    PostalAddress(line1: line1, line2: line2, city: city, postalCode: postalCode, country: country)
  }

  @Test func aGoodAddressIsKeptTrimmedWithItsCountryInCapitals() {
    let address = Self.address(line1: " 1 Main St ", line2: "  ")
    #expect(address.violations.isEmpty)
    #expect(
      address.normalized
        == PostalAddress(line1: "1 Main St", line2: "", city: "Berlin", postalCode: "10115", country: "DE"))
  }

  @Test func eachBrokenRuleNamesItsField() {
    #expect(Self.address(country: "DEU").violations.map(\.field) == ["country"])
    #expect(Self.address(country: " de").violations.map(\.field) == ["country"])
    #expect(Self.address(line1: " ").violations.map(\.field) == ["line1"])
    #expect(Self.address(city: String(repeating: "a", count: 201)).violations.map(\.field) == ["city"])
    #expect(Self.address(postalCode: String(repeating: "1", count: 21)).violations.map(\.field) == ["postal_code"])
  }

  /// PostgreSQL cannot store NUL: refused as invalid, never passed on to fail as a 502.
  @Test(arguments: ["Ada\u{0}", "A\u{7}da", "line\nbreak", "\u{85}"])
  func textWithControlCharactersIsRefused(text: String) {
    #expect(Self.address(city: text).violations.map(\.field) == ["city"])
    #expect(Self.address(line2: text).violations.map(\.field) == ["line2"])
  }
}
