import Foundation
import GRPCCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceContextModule
import ShopObservability
import ShopRPC
import ShopResilience

/// The outermost middleware: gives each request its id (the client's `X-Request-Id` when it
/// is acceptable), puts it in the task's context for every log line, echoes it on every
/// response, and turns every error into a problem+json response.
struct EdgeMiddleware: RouterMiddleware {
  typealias Context = GatewayRequestContext

  /// The router's routes, so that a known path asked with another method is a 405.
  let routes: RouteTable
  /// Peers whose `X-Forwarded-For` is believed: the edge proxies in front of the gateway.
  let trustedProxies: Set<String>

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var context = context
    let id = request.headers[.requestID].flatMap { RequestID.isAcceptable($0) ? $0 : nil } ?? RequestID.generate()
    context.requestID = id
    context.logger[metadataKey: "http.request.id"] = .string(id)
    var serviceContext = ServiceContext.current ?? .topLevel
    serviceContext.requestID = id
    serviceContext.clientAddress = Self.clientAddress(
      request, peer: context.peerAddress, trustedProxies: trustedProxies)
    return await ServiceContext.withValue(serviceContext) {
      do {
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
      } catch {
        let (error, fields) = FieldsCarryingError.unwrap(error)
        var problem = Self.problem(for: error)
        problem.headers.append(contentsOf: fields)
        if problem.code == "route_not_found" {
          let allowed = routes.methods(for: request.uri.path)
          if !allowed.isEmpty { problem = .methodNotAllowed(allowed) }
        }
        if problem.status.code >= 500 {
          context.logger.error(
            "request failed",
            metadata: [
              "error.message": "\(error)", "http.response.status_code": "\(problem.status.code)",
              "url.path": "\(request.uri.path)",
            ])
        }
        return problem.response(requestID: id)
      }
    }
  }

  /// The client's address. Behind a trusted proxy it is the last entry of `X-Forwarded-For`,
  /// the one the proxy appended (the entries before it are the client's own word); from any
  /// other peer it is the peer itself, whatever the header says.
  static func clientAddress(_ request: Request, peer: String?, trustedProxies: Set<String>) -> String? {
    guard let peer, trustedProxies.contains(peer) else { return peer }
    guard let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!].last else { return peer }
    let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
    return last.flatMap { $0.isEmpty ? nil : $0 } ?? peer
  }

  static func problem(for error: any Error) -> APIProblem {
    switch error {
    case let problem as APIProblem:
      return problem
    case let error as RPCError:
      return APIProblem(rpcError: error)
    case is NIOTooManyBytesError:
      return APIProblem(
        status: .contentTooLarge, code: "payload_too_large", detail: "the request body exceeds the limit")
    case is CircuitBreakerOpenError:
      return .serviceUnavailable("the service is temporarily unavailable; retry shortly")
    case let error as DecodingError:
      return APIProblem(decodingError: error)
    case let error as HTTPError:
      switch error.status {
      case .notFound:
        return APIProblem(status: .notFound, code: "route_not_found", detail: "no such route")
      case .contentTooLarge:
        return APIProblem(
          status: .contentTooLarge, code: "payload_too_large", detail: "the request body exceeds the limit")
      case .methodNotAllowed:
        return APIProblem(
          status: .methodNotAllowed, code: "method_not_allowed", detail: "method not allowed on this route")
      default:
        let status = error.status
        return APIProblem(
          status: status, code: status.code < 500 ? "bad_request" : "internal_error",
          detail: error.body ?? status.reasonPhrase)
      }
    default:
      return APIProblem(status: .internalServerError, code: "internal_error", detail: "an unexpected error occurred")
    }
  }
}

/// An error whose response carries header fields all the same (the rate limit's), thrown by a
/// middleware between the edge and the route.
struct FieldsCarryingError: Error {
  let error: any Error
  let fields: HTTPFields

  static func unwrap(_ error: any Error) -> (any Error, HTTPFields) {
    guard let carrying = error as? FieldsCarryingError else { return (error, [:]) }
    return (carrying.error, carrying.fields)
  }
}

extension APIProblem {
  init(decodingError: DecodingError) {
    switch decodingError {
    case .keyNotFound(let key, let context):
      self = .validation(
        "\(Self.path(context.codingPath + [key])) is required",
        fields: [(Self.path(context.codingPath + [key]), "is required")])
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      let field = Self.path(context.codingPath)
      self = .validation("\(field) has the wrong type", fields: [(field, "has the wrong type")])
    case .dataCorrupted(let context) where !context.codingPath.isEmpty:
      let field = Self.path(context.codingPath)
      self = .validation("\(field) is invalid", fields: [(field, "is invalid")])
    default:
      self = APIProblem(status: .badRequest, code: "malformed_json", detail: "the request body is not valid JSON")
    }
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map(String.init) ?? Self.snake($0.stringValue) }.joined(separator: ".")
  }

  private static func snake(_ camel: String) -> String {
    var out = ""
    for ch in camel {
      if ch.isUppercase {
        out += "_" + ch.lowercased()
      } else {
        out.append(ch)
      }
    }
    return out
  }
}
