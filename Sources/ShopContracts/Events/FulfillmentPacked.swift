/// `fulfillment.packed`: a fulfillment worker packed a paid order.
public struct FulfillmentPacked: EventContract {
  public static let type = "fulfillment.packed"
  public static let schemaVersion = 1

  public var orderID: String
  public var warehouse: String
  /// RFC 3339.
  public var packedAt: String

  public init(orderID: String, warehouse: String, packedAt: String) {
    self.orderID = orderID
    self.warehouse = warehouse
    self.packedAt = packedAt
  }

  enum CodingKeys: String, CodingKey {
    case orderID = "order_id"
    case warehouse
    case packedAt = "packed_at"
  }
}
