/// `product.back_in_stock`: a product's availability rose from zero; the customers on its
/// waitlist are told.
public struct ProductBackInStock: EventContract {
  public static let type = "product.back_in_stock"
  public static let schemaVersion = 1

  public var productID: String
  public var sku: String
  public var name: String
  public var available: Int64
  public var waitlistUserIDs: [String]

  public init(productID: String, sku: String, name: String, available: Int64, waitlistUserIDs: [String]) {
    self.productID = productID
    self.sku = sku
    self.name = name
    self.available = available
    self.waitlistUserIDs = waitlistUserIDs
  }

  enum CodingKeys: String, CodingKey {
    case productID = "product_id"
    case sku, name, available
    case waitlistUserIDs = "waitlist_user_ids"
  }
}
