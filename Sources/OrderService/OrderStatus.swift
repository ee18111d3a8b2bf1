/// Where an order stands (API.md, Orders).
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
  case pending, paid, shipped, delivered, completed, cancelled
}

/// Why an order was cancelled (DESIGN.md §5).
public enum CancelReason: String, Sendable, Codable, CaseIterable {
  case paymentFailed = "payment_failed"
  case outOfStock = "out_of_stock"
  case reservationExpired = "reservation_expired"
  case userCancelled = "user_cancelled"
}
