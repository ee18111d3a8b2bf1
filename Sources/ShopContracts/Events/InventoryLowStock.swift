/// `inventory.low_stock`: a product's availability fell to its threshold or below (and is
/// not zero).
public struct InventoryLowStock: EventContract {
  public static let type = "inventory.low_stock"
  public static let schemaVersion = 1

  public var productID: String
  public var sku: String
  public var name: String
  public var available: Int64
  public var threshold: Int64

  public init(productID: String, sku: String, name: String, available: Int64, threshold: Int64) {
    self.productID = productID
    self.sku = sku
    self.name = name
    self.available = available
    self.threshold = threshold
  }

  enum CodingKeys: String, CodingKey {
    case productID = "product_id"
    case sku, name, available, threshold
  }
}
