import ShopContracts
import ShopRPC

/// What a valid category, product and adjustment field is, as the OpenAPI document states it
/// (patterns, lengths in code points, bounds); PostgreSQL's `bigint` holds far more than the
/// bounds, so sums of them cannot overflow.
enum CatalogRules {
  /// The highest price, and price filter, in minor units.
  static let maximumPrice: Int64 = 100_000_000
  /// The most stock one product starts with, and one adjustment moves.
  static let maximumQuantity: Int64 = 1_000_000_000
  static let categoryName = TextRule(maxLength: 100)
  static let productName = TextRule(maxLength: 200)
  static let productDescription = TextRule(maxLength: 5000, isRequired: false, allowsLineBreaks: true)
  static let adjustmentReason = TextRule(maxLength: 200)

  static func textViolations(_ fields: [String: (String, TextRule)?]) -> [ProductError.FieldViolation] {
    fields.sorted { $0.key < $1.key }.compactMap { field, entry in
      guard let (value, rule) = entry, let reason = rule.violation(value) else { return nil }
      return .init(field: field, reason: reason)
    }
  }

  /// 1 to 100 of `a-z`, `0-9` and `-`, as sent.
  static func isSlug(_ slug: String) -> Bool {
    (1...100).contains(slug.unicodeScalars.count)
      && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0.isASCIIDigit || $0 == "-" }
  }

  /// 1 to 64 characters, none of them white space or a control character, as sent.
  static func isSKU(_ sku: String) -> Bool {
    (1...64).contains(sku.unicodeScalars.count) && !sku.unicodeScalars.contains { $0.isWhiteSpace || $0.isControl }
  }

  static func thresholdViolations(_ threshold: Int64?) -> [ProductError.FieldViolation] {
    guard let threshold, threshold < 0 || threshold > 1_000_000 else { return [] }
    return [.init(field: "low_stock_threshold", reason: "must be between 0 and 1000000")]
  }

  static func priceViolations(_ amount: Int64, _ currency: String) -> [ProductError.FieldViolation] {
    var violations: [ProductError.FieldViolation] = []
    if !(0...maximumPrice).contains(amount) {
      violations.append(.init(field: "price.amount", reason: "must be between 0 and \(maximumPrice) minor units"))
    }
    let letters = currency.unicodeScalars
    if letters.count != 3 || !letters.allSatisfy(\.isASCIILetter) {
      violations.append(.init(field: "price.currency", reason: "must be an ISO 4217 code"))
    }
    return violations
  }
}
