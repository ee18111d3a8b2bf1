import Foundation
import GRPCCore
import ShopRPC

/// What can go wrong in the order service, each with the stable code clients see.
public enum OrderError: Error, Sendable, Equatable {
  public typealias FieldViolation = ShopRPC.FieldViolation

  case validationFailed([FieldViolation])
  case notFound(String)
  case insufficientStock(productID: UUID, available: Int64)
  case idempotencyKeyReused
  case idempotencyKeyInUse(retryAfterSeconds: Int)
  /// The order's status does not allow what was asked (``OrderLifecycle``).
  case invalidTransition(String)
  /// The caller may not do this to any order.
  case forbidden(String)
  /// A store or service the request needs cannot be reached.
  case unavailable(String)

  public var code: String {
    switch self {
    case .validationFailed: "validation_failed"
    case .notFound: "not_found"
    case .insufficientStock: "insufficient_stock"
    case .idempotencyKeyReused: "idempotency_key_reused"
    case .idempotencyKeyInUse: "idempotency_key_in_use"
    case .invalidTransition: "invalid_transition"
    case .forbidden: "forbidden"
    case .unavailable: "service_unavailable"
    }
  }

  public var message: String {
    switch self {
    case .validationFailed(let violations): violations.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
    case .notFound(let what): "\(what) not found"
    case .insufficientStock(_, let available): "only \(available) available"
    case .idempotencyKeyReused: "this Idempotency-Key was used for another request"
    case .idempotencyKeyInUse: "the first request with this Idempotency-Key is still running"
    case .invalidTransition(let detail), .forbidden(let detail): detail
    case .unavailable(let what): "\(what) is unavailable; retry shortly"
    }
  }

  static func invalid(_ field: String, _ reason: String) -> OrderError {
    .validationFailed([FieldViolation(field: field, reason: reason)])
  }
}

extension OrderError: RPCErrorConvertible {
  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .validationFailed: .invalidArgument
    case .notFound: .notFound
    case .insufficientStock, .idempotencyKeyInUse, .invalidTransition: .failedPrecondition
    case .forbidden: .permissionDenied
    // No gRPC code says "422"; the gateway maps this one by its error code.
    case .idempotencyKeyReused: .alreadyExists
    case .unavailable: .unavailable
    }
  }

  public var rpcErrorMessage: String { message }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .validationFailed(let violations): .apiError(code: code, detail: violations)
    case .idempotencyKeyInUse(let seconds): .apiError(code: code, retryAfter: seconds)
    default: .apiError(code: code)
    }
  }
}
