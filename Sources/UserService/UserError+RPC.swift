import Foundation
import GRPCCore
import ShopRPC

extension UserError: RPCErrorConvertible {
  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .validationFailed: .invalidArgument
    case .emailTaken: .alreadyExists
    case .invalidCredentials, .invalidRefreshToken: .unauthenticated
    case .loginThrottled: .resourceExhausted
    case .notFound: .notFound
    }
  }

  public var rpcErrorMessage: String { message }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .validationFailed(let violations): .apiError(code: code, detail: violations)
    case .loginThrottled(let seconds): .apiError(code: code, retryAfter: seconds)
    default: .apiError(code: code)
    }
  }
}
