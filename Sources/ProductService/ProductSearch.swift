import Foundation
import ShopContracts
import ShopRPC

/// A validated product search: what to match, how to filter and sort, where to resume.
public struct ProductSearch: Sendable, Equatable {
  public var text: String?
  public var categoryID: UUID?
  public var minPrice: Int64?
  public var maxPrice: Int64?
  public var inStockOnly: Bool
  public var sort: SearchSort
  public var limit: Int
  public var after: SearchCursor?
  /// Correct the words of `text` before matching: set when the exact words found nothing,
  /// and carried by the cursor.
  public var typoTolerant = false
  /// `text` with each word replaced by the catalog's most similar one; what a typo-tolerant
  /// search matches.
  var correctedText: String?

  public static let defaultLimit = 20
  static let textRule = TextRule(maxLength: 200, isRequired: false)
  public static let maximumLimit = 100

  /// Checks raw parameters; `sort` defaults to relevance with text and newest without.
  public init(
    text: String?, categoryID: String?, minPrice: Int64?, maxPrice: Int64?, inStockOnly: Bool, sort: String?,
    limit: Int?, cursor: String?
  ) throws {
    var violations: [ProductError.FieldViolation] = []
    if let text, let reason = Self.textRule.violation(text) {
      violations.append(.init(field: "q", reason: reason))
    }
    let trimmed = text?.trimmingWhiteSpace()
    self.text = (trimmed?.isEmpty ?? true) ? nil : trimmed
    if let categoryID, !categoryID.isEmpty {
      guard let id = UUID(uuidString: categoryID) else {
        throw ProductError.invalid("category", "is not a category id")
      }
      self.categoryID = id
    } else {
      self.categoryID = nil
    }
    // A range with its bounds crossed is a valid query that matches nothing.
    for (field, bound) in [("min_price", minPrice), ("max_price", maxPrice)] {
      if let bound, !(0...CatalogRules.maximumPrice).contains(bound) {
        violations.append(.init(field: field, reason: "must be between 0 and \(CatalogRules.maximumPrice)"))
      }
    }
    self.minPrice = minPrice
    self.maxPrice = maxPrice
    self.inStockOnly = inStockOnly
    if let sort, !sort.isEmpty {
      guard let parsed = SearchSort(rawValue: sort) else {
        throw ProductError.invalid(
          "sort", "must be one of \(SearchSort.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      // Without text every product is as relevant as the next: newest first breaks the tie.
      self.sort = parsed == .relevance && self.text == nil ? .newest : parsed
    } else {
      self.sort = self.text == nil ? .newest : .relevance
    }
    let limit = limit ?? Self.defaultLimit
    violations += Self.limitViolations(limit)
    self.limit = limit
    if !violations.isEmpty { throw ProductError.validationFailed(violations) }
    if let cursor, !cursor.isEmpty {
      let decoded = try SearchCursor(encoded: cursor)
      guard decoded.sort == self.sort, decoded.queryHash == Self.queryHash(self.text) else {
        throw ProductError.invalidCursor
      }
      self.after = decoded
      self.typoTolerant = decoded.typoTolerant
    } else {
      self.after = nil
    }
  }

  /// The page size of every list the service serves: 1 to ``maximumLimit``.
  static func limitViolations(_ limit: Int) -> [ProductError.FieldViolation] {
    guard limit < 1 || limit > maximumLimit else { return [] }
    return [.init(field: "limit", reason: "must be between 1 and \(maximumLimit)")]
  }

  /// Ties a cursor to the text it was made for, so that it is not used with another search.
  static func queryHash(_ text: String?) -> UInt32 {
    var hash: UInt32 = 2_166_136_261
    for byte in (text ?? "").lowercased().utf8 {
      hash ^= UInt32(byte)
      hash = hash &* 16_777_619
    }
    return hash
  }
}
