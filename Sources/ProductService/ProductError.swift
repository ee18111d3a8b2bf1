import Foundation
import GRPCCore
import ShopRPC

/// What can go wrong in the product service, each with the stable code clients see.
public enum ProductError: Error, Sendable, Equatable {
  public typealias FieldViolation = ShopRPC.FieldViolation

  /// A line of a reservation that cannot be served.
  public struct ShortLine: Sendable, Equatable, Codable {
    public let productID: UUID
    public let requested: Int64
    public let available: Int64

    enum CodingKeys: String, CodingKey {
      case productID = "product_id"
      case requested, available
    }
  }

  case validationFailed([FieldViolation])
  case skuTaken
  case slugTaken
  case notFound(String)
  case insufficientStock(available: Int64)
  case outOfStock([ShortLine])
  case invalidTransition(String)
  case reservationExpired
  case invalidCursor

  public var code: String {
    switch self {
    case .validationFailed, .invalidCursor: "validation_failed"
    case .skuTaken: "sku_taken"
    case .slugTaken: "slug_taken"
    case .notFound: "not_found"
    case .insufficientStock: "insufficient_stock"
    case .outOfStock: "out_of_stock"
    case .invalidTransition: "invalid_transition"
    case .reservationExpired: "reservation_expired"
    }
  }

  public var message: String {
    switch self {
    case .validationFailed(let violations): violations.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
    case .skuTaken: "a product with this SKU already exists"
    case .slugTaken: "a category with this slug already exists"
    case .notFound(let what): "\(what) not found"
    case .insufficientStock(let available): "the adjustment would leave stock below zero (available \(available))"
    case .outOfStock(let lines): "\(lines.count) line(s) cannot be reserved"
    case .invalidTransition(let detail): detail
    case .reservationExpired: "the reservation expired"
    case .invalidCursor: "cursor is not valid for this query"
    }
  }

  static func invalid(_ field: String, _ reason: String) -> ProductError {
    .validationFailed([FieldViolation(field: field, reason: reason)])
  }
}

extension ProductError: RPCErrorConvertible {
  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .validationFailed, .invalidCursor: .invalidArgument
    case .skuTaken, .slugTaken: .alreadyExists
    case .notFound: .notFound
    case .insufficientStock, .outOfStock, .invalidTransition, .reservationExpired: .failedPrecondition
    }
  }

  public var rpcErrorMessage: String { message }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .validationFailed(let violations): .apiError(code: code, detail: violations)
    case .outOfStock(let lines): .apiError(code: code, detail: lines)
    default: .apiError(code: code)
    }
  }
}
