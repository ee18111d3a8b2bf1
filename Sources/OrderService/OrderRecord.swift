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

  public init(
    document: OrderDocument, status: OrderStatus, cancelReason: CancelReason?, paymentStatus: String,
    sagaStep: SagaStep, history: [StatusChange], updatedAt: Date, version: Int64
  ) {
    self.document = document
    self.status = status
    self.cancelReason = cancelReason
    self.paymentStatus = paymentStatus
    self.sagaStep = sagaStep
    self.history = history
    self.updatedAt = updatedAt
    self.version = version
  }

  public var id: UUID { document.id }
}
