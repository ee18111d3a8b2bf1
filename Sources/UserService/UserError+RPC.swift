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
    var metadata: Metadata = [:]
    metadata.addString(code, forKey: RPCMetadataKeys.errorCode)
    switch self {
    case .validationFailed(let violations):
      if let json = try? JSONEncoder().encode(violations) {
        metadata.addString(String(decoding: json, as: UTF8.self), forKey: RPCMetadataKeys.errorDetail)
      }
    case .loginThrottled(let seconds):
      metadata.addString(String(seconds), forKey: RPCMetadataKeys.retryAfter)
    default:
      break
    }
    return metadata
  }
}
