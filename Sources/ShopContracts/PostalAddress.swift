/// A shipping address as a customer gives it, with the rules every service that takes one
/// applies (the OpenAPI document states the same): lines and city up to 200 characters, a
/// postal code up to 20, an ISO 3166-1 alpha-2 country.
public struct PostalAddress: Sendable, Equatable, Codable {
  public var line1: String
  public var line2: String?
  public var city: String
  public var postalCode: String
  public var country: String

  public init(line1: String, line2: String?, city: String, postalCode: String, country: String) {
    self.line1 = line1
    self.line2 = line2
    self.city = city
    self.postalCode = postalCode
    self.country = country
  }

  static let line = TextRule(maxLength: 200)
  static let optionalLine = TextRule(maxLength: 200, isRequired: false)
  static let postalCodeRule = TextRule(maxLength: 20)

  /// Each field that breaks its rule, with why.
  public var violations: [(field: String, reason: String)] {
    var found: [(String, String)] = []
    func check(_ value: String?, _ field: String, _ rule: TextRule) {
      if let value, let reason = rule.violation(value) { found.append((field, reason)) }
    }
    check(line1, "line1", Self.line)
    check(line2, "line2", Self.optionalLine)
    check(city, "city", Self.line)
    check(postalCode, "postal_code", Self.postalCodeRule)
    if !(country.unicodeScalars.count == 2 && country.unicodeScalars.allSatisfy(\.isASCIILetter)) {
      found.append(("country", "must be an ISO 3166-1 alpha-2 code"))
    }
    return found
  }

  /// The address as kept: text trimmed, the country in capitals.
  public var normalized: PostalAddress {
    PostalAddress(
      line1: line1.trimmingWhiteSpace(), line2: line2?.trimmingWhiteSpace(), city: city.trimmingWhiteSpace(),
      postalCode: postalCode.trimmingWhiteSpace(), country: country.uppercased())
  }

  enum CodingKeys: String, CodingKey {
    case line1, line2, city, country
    case postalCode = "postal_code"
  }
}
