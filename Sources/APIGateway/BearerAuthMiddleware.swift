import Hummingbird
import Logging
import ServiceContextModule
import ShopAuth
import ShopRPC

/// Verifies the bearer token of every request to the routes behind it and records the caller
/// in the request context (and the task's, so downstream calls carry it). Any missing,
/// malformed, expired, wrongly signed or wrong-audience token is a 401 with
/// `WWW-Authenticate: Bearer`; the reason is logged, never told.
struct BearerAuthMiddleware: RouterMiddleware {
  typealias Context = GatewayRequestContext
  let verifier: AccessTokenVerifier

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    // Verified already on the way in (by the rate limiter), and in the task's context.
    if context.identity != nil { return try await next(request, context) }
    guard let header = request.headers[.authorization] else {
      throw APIProblem.unauthorized("a bearer token is required")
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
      throw APIProblem.unauthorized("the Authorization header must be 'Bearer <token>'")
    }
    let claims: AccessTokenClaims
    do {
      claims = try await verifier.verify(String(parts[1]))
    } catch let error as AuthError {
      context.logger.info("token refused", metadata: ["auth.reason": "\(error)"])
      throw APIProblem.unauthorized("the access token is invalid or expired")
    } catch {
      // The keys could not be fetched: the issuer is unreachable.
      context.logger.warning("token keys unavailable", metadata: ["error.message": "\(error)"])
      throw APIProblem.serviceUnavailable("token keys are unavailable; retry shortly")
    }
    var context = context
    let identity = CallerIdentity(userID: claims.subject, role: claims.role, token: String(parts[1]))
    context.identity = identity
    context.logger[metadataKey: "user.id"] = .string(identity.userID)
    var serviceContext = ServiceContext.current ?? .topLevel
    serviceContext.callerIdentity = identity
    return try await ServiceContext.withValue(serviceContext) {
      try await next(request, context)
    }
  }
}
