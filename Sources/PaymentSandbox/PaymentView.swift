import Foundation
import ShopContracts

/// A payment as the sandbox's API and webhooks write it, snake_case.
struct PaymentView: Codable, Equatable {
  struct Card: Codable, Equatable {
    var brand: String
    var last4: String
    var fingerprint: String
  }

  var id: String
  var reference: String
  var amount: Int64
  var currency: String
  var status: String
  var capturedAmount: Int64
  var refundedAmount: Int64
  var card: Card
  var failureCode: String?
  var createdAt: String
  var updatedAt: String

  init(_ payment: Payment) {
    id = payment.id.lowercased
    reference = payment.reference
    amount = payment.amount
    currency = payment.currency
    status = payment.status.rawValue
    capturedAmount = payment.capturedAmount
    refundedAmount = payment.refundedAmount
    card = Card(brand: payment.card.brand, last4: payment.card.lastFour, fingerprint: payment.card.fingerprint)
    failureCode = payment.failureCode
    createdAt = payment.createdAt.rfc3339
    updatedAt = payment.updatedAt.rfc3339
  }
}
