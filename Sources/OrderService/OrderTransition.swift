import Foundation

/// One move of an order's status after payment, as ``OrderLifecycle`` allowed it: what the
/// store writes, conditional on the order still being `from`.
public struct OrderTransition: Sendable, Equatable {
  /// The compensation a cancel starts, held by the instance that runs it.
  public struct Compensation: Sendable, Equatable {
    public var saga: CheckoutSaga
    public var owner: String
    public var leaseUntil: Date

    public init(saga: CheckoutSaga, owner: String, leaseUntil: Date) {
      self.saga = saga
      self.owner = owner
      self.leaseUntil = leaseUntil
    }
  }

  public var id: UUID
  public var from: OrderStatus
  public var to: OrderStatus
  public var at: Date
  public var cancelReason: CancelReason?
  public var shipment: OrderRecord.Shipment?
  public var compensation: Compensation?

  public init(
    id: UUID, from: OrderStatus, to: OrderStatus, at: Date, cancelReason: CancelReason? = nil,
    shipment: OrderRecord.Shipment? = nil, compensation: Compensation? = nil
  ) {
    self.id = id
    self.from = from
    self.to = to
    self.at = at
    self.cancelReason = cancelReason
    self.shipment = shipment
    self.compensation = compensation
  }

  /// Whether the move holds only while no cancel was asked for: a cancel asked of a saga
  /// that then ended paid wins over a ship that comes before the cancel is carried out.
  public var requiresNoCancelRequest: Bool { to != .cancelled }

  /// When the order was delivered, if this delivers it.
  public var deliveredAt: Date? { to == .delivered ? at : nil }

  /// What the move does to the order's fulfillment job.
  public var jobChange: FulfillmentRules.JobChange? { FulfillmentRules.jobChange(from: from, to: to) }
}
