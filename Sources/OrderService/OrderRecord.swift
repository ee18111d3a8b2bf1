import Foundation

/// An order as the service reads it back: the document as placed and where it stands now.
public struct OrderRecord: Sendable, Equatable {
  public struct StatusChange: Sendable, Equatable {
    public var status: OrderStatus
    public var at: Date

    public init(status: OrderStatus, at: Date) {
      self.status = status
      self.at = at
    }
  }

  /// How the order was sent.
  public struct Shipment: Sendable, Equatable {
    public var carrier: String
    public var trackingNumber: String
    public var shippedAt: Date

    public init(carrier: String, trackingNumber: String, shippedAt: Date) {
      self.carrier = carrier
      self.trackingNumber = trackingNumber
      self.shippedAt = shippedAt
    }
  }

  public var document: OrderDocument
  public var status: OrderStatus
  public var cancelReason: CancelReason?
  /// `pending`, `captured`, `failed`, `refunded` (API.md's `payment.status`).
  public var paymentStatus: String
  public var sagaStep: SagaStep
  public var history: [StatusChange]
  public var updatedAt: Date
  /// Increases with every change; the version of the order's events.
  public var version: Int64
  /// The provider's id of the payment that was captured.
  public var paymentID: String?
  public var shipment: Shipment?
  public var deliveredAt: Date?
  /// A cancel was asked for while the order's saga ran, and is not carried out yet.
  public var cancelRequested: Bool
  /// Where the paid order stands in the warehouse; nil before payment.
  public var fulfillment: OrderFulfillment?

  public init(
    document: OrderDocument, status: OrderStatus, cancelReason: CancelReason?, paymentStatus: String,
    sagaStep: SagaStep, history: [StatusChange], updatedAt: Date, version: Int64, paymentID: String? = nil,
    shipment: Shipment? = nil, deliveredAt: Date? = nil, cancelRequested: Bool = false,
    fulfillment: OrderFulfillment? = nil
  ) {
    self.document = document
    self.status = status
    self.cancelReason = cancelReason
    self.paymentStatus = paymentStatus
    self.sagaStep = sagaStep
    self.history = history
    self.updatedAt = updatedAt
    self.version = version
    self.paymentID = paymentID
    self.shipment = shipment
    self.deliveredAt = deliveredAt
    self.cancelRequested = cancelRequested
    self.fulfillment = fulfillment
  }

  public var id: UUID { document.id }
}
