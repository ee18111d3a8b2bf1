/// On-hand, reserved and available units of one product.
public struct StockLevel: Sendable, Equatable {
  public var onHand: Int64
  public var reserved: Int64
  public var available: Int64 { onHand - reserved }
}
