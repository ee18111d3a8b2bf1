/// `order.status_changed`: every transition of an order (API.md statuses), with the reason of
/// a cancellation and the shipment of a shipped order.
public struct OrderStatusChanged: EventContract {
  public static let type = "order.status_changed"
  public static let schemaVersion = 1

  public struct Shipment: Codable, Sendable, Equatable {
    public var carrier: String
    public var trackingNumber: String

    public init(carrier: String, trackingNumber: String) {
      self.carrier = carrier
      self.trackingNumber = trackingNumber
    }

    enum CodingKeys: String, CodingKey {
      case carrier
      case trackingNumber = "tracking_number"
    }
  }

  public var orderID: String
  public var userID: String
  /// The status before; `nil` for the first.
  public var from: String?
  public var to: String
  /// `payment_failed`, `out_of_stock`, `reservation_expired`, `user_cancelled`, for `cancelled`.
  public var cancelReason: String?
  public var shipment: Shipment?
  /// RFC 3339.
  public var at: String

  public init(
    orderID: String, userID: String, from: String?, to: String, cancelReason: String? = nil,
    shipment: Shipment? = nil, at: String
  ) {
    self.orderID = orderID
    self.userID = userID
    self.from = from
    self.to = to
    self.cancelReason = cancelReason
    self.shipment = shipment
    self.at = at
  }

  enum CodingKeys: String, CodingKey {
    case orderID = "order_id"
    case userID = "user_id"
    case from, to, shipment, at
    case cancelReason = "cancel_reason"
  }
}
