import Foundation
import ShopContracts

/// The card processor (the payment sandbox), as the saga uses it. Every call that changes
/// money carries an idempotency key derived from the order and the step, so that no retry
/// charges or refunds twice.
public protocol PaymentProvider: Sendable {
  /// Authorizes and captures `amount`: `.captured`, `.declined`, or `.unavailable` when the
  /// provider failed or did not answer (the charge may have happened).
  func charge(orderID: UUID, amount: Money, card: PaymentCard) async -> SagaOutcome
  /// The order's payments at the provider, by its reference, to learn how a charge ended.
  func payments(orderID: UUID) async throws -> [ProviderPayment]
  /// Gives back everything captured for the payment.
  func refund(paymentID: String, orderID: UUID) async throws
  /// Cancels a payment authorized and not captured.
  func void(paymentID: String, orderID: UUID) async throws
}

/// A payment as the provider reports it.
public struct ProviderPayment: Sendable, Equatable, Codable {
  public var id: String
  public var reference: String
  /// `authorized`, `captured`, `refunded`, `voided`, `failed`.
  public var status: String
  public var failureCode: String?

  public init(id: String, reference: String, status: String, failureCode: String? = nil) {
    self.id = id
    self.reference = reference
    self.status = status
    self.failureCode = failureCode
  }

  enum CodingKeys: String, CodingKey {
    case id, reference, status
    case failureCode = "failure_code"
  }
}
