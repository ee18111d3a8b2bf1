import Foundation
import GRPCCore
import HTTPTypes
import ShopRPC

extension APIProblem {
  /// The public answer to a failed upstream call: the stable code the service sent, with the
  /// HTTP status its gRPC code stands for. A service that cannot be reached is a 503.
  init(rpcError error: RPCError) {
    let sentCode = error.metadata[stringValues: RPCMetadataKeys.errorCode].first(where: { _ in true })
    switch error.code {
    case .unavailable, .deadlineExceeded, .cancelled:
      self = .serviceUnavailable("the service is temporarily unavailable; retry shortly")
      return
    default:
      break
    }
    let status: HTTPResponse.Status =
      switch error.code {
      case .invalidArgument, .outOfRange: .badRequest
      case .unauthenticated: .unauthorized
      case .permissionDenied: .forbidden
      case .notFound: .notFound
      case .alreadyExists, .aborted, .failedPrecondition: .conflict
      case .resourceExhausted: .tooManyRequests
      case .unimplemented: .notImplemented
      default: .badGateway
      }
    let code = sentCode ?? (status == .badGateway ? "upstream_error" : Self.defaultCode(for: status))
    let detail = status == .badGateway ? "an upstream service failed" : error.message
    self.init(status: status, code: code, detail: detail)
    if status == .unauthorized {
      headers[.wwwAuthenticate] = #"Bearer realm="swiftshop""#
    }
    if let seconds = error.metadata[stringValues: RPCMetadataKeys.retryAfter].first(where: { _ in true }) {
      headers[.retryAfter] = seconds
    }
    if let detailJSON = error.metadata[stringValues: RPCMetadataKeys.errorDetail].first(where: { _ in true }),
      let fields = try? JSONDecoder().decode([FieldReason].self, from: Data(detailJSON.utf8))
    {
      extensions["errors"] = .array(
        fields.map { .object(["field": .string($0.field), "reason": .string($0.reason)]) })
    }
  }

  private struct FieldReason: Decodable {
    var field: String
    var reason: String
  }

  private static func defaultCode(for status: HTTPResponse.Status) -> String {
    switch status {
    case .badRequest: "validation_failed"
    case .unauthorized: "unauthorized"
    case .forbidden: "forbidden"
    case .notFound: "not_found"
    case .conflict: "conflict"
    case .tooManyRequests: "too_many_requests"
    default: "upstream_error"
    }
  }
}
