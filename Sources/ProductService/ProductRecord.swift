import Foundation

/// A product with its stock, as the catalog shows it.
public struct ProductRecord: Sendable, Equatable {
  public var id: UUID
  public var sku: String
  public var name: String
  public var description: String
  public var priceAmount: Int64
  public var currency: String
  public var categoryID: UUID
  public var createdAt: Date
  public var onHand: Int64
  public var reserved: Int64
  public var lowStockThreshold: Int64

  public var available: Int64 { onHand - reserved }

  public var stockStatus: StockStatus {
    StockStatus(available: available, threshold: lowStockThreshold)
  }
}

/// What a shopper is told about availability.
public enum StockStatus: String, Sendable {
  case inStock = "in_stock"
  case lowStock = "low_stock"
  case outOfStock = "out_of_stock"

  /// Low stock is at or under the threshold, and above zero.
  public init(available: Int64, threshold: Int64) {
    if available <= 0 {
      self = .outOfStock
    } else if available <= threshold {
      self = .lowStock
    } else {
      self = .inStock
    }
  }
}
