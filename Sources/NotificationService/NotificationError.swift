import GRPCCore
import ShopRPC

/// What can go wrong in the notification service's API, each with the stable code clients see.
public enum NotificationError: Error, Sendable, Equatable {
  public typealias FieldViolation = ShopRPC.FieldViolation

  case validationFailed([FieldViolation])
  case notFound(String)
  /// A webhook or push URL the address guard refuses.
  case urlNotAllowed(String)

  public var code: String {
    switch self {
    case .validationFailed: "validation_failed"
    case .notFound: "not_found"
    case .urlNotAllowed: "url_not_allowed"
    }
  }

  public var message: String {
    switch self {
    case .validationFailed(let violations): violations.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
    case .notFound(let what): "\(what) not found"
    case .urlNotAllowed(let reason): "the URL is not allowed: \(reason)"
    }
  }

  static func invalid(_ field: String, _ reason: String) -> NotificationError {
    .validationFailed([FieldViolation(field: field, reason: reason)])
  }
}

extension NotificationError: RPCErrorConvertible {
  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .validationFailed, .urlNotAllowed: .invalidArgument
    case .notFound: .notFound
    }
  }

  public var rpcErrorMessage: String { message }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .validationFailed(let violations): .apiError(code: code, detail: violations)
    default: .apiError(code: code)
    }
  }
}
