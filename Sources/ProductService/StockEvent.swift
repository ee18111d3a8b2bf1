import Foundation

/// The data of `inventory.low_stock` (with the threshold crossed) and of
/// `product.back_in_stock` (with the users on the waitlist, whom the notification service
/// tells).
struct StockEvent: Encodable, Sendable {
  let productID: String
  let sku: String
  let name: String
  let available: Int64
  let threshold: Int64?
  let waitlistUserIDs: [String]?

  init(
    productID: UUID, sku: String, name: String, available: Int64, threshold: Int64? = nil,
    waitlistUserIDs: [String]? = nil
  ) {
    self.productID = productID.uuidString.lowercased()
    self.sku = sku
    self.name = name
    self.available = available
    self.threshold = threshold
    self.waitlistUserIDs = waitlistUserIDs
  }

  enum CodingKeys: String, CodingKey {
    case productID = "product_id"
    case sku, name, available, threshold
    case waitlistUserIDs = "waitlist_user_ids"
  }
}
