import HTTPTypes
import Hummingbird
import Logging
import ServiceContextModule
import ShopAuth
import ShopObservability
import ShopRPC

/// The rate limits of API.md on every `/api/` request: per user when a valid token is given,
/// per client address otherwise (the one ``EdgeMiddleware`` found, through a trusted proxy),
/// and per client address on the routes that sign in and register. Every answer carries
/// `RateLimit-Policy` and `RateLimit`; a request over its quota is `429 too_many_requests`
/// with `Retry-After`.
///
/// The token is verified here once: the caller it names is recorded for the routes after,
/// so that ``BearerAuthMiddleware`` does not verify it again.
struct RateLimitMiddleware: RouterMiddleware {
  typealias Context = GatewayRequestContext

  let limiter: RateLimiter
  let policies: RateLimitPolicies
  let verifier: AccessTokenVerifier

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let path = request.uri.path
    guard path.hasPrefix("/api/") else { return try await next(request, context) }
    let identity = await verifiedCaller(request)
    let client = ServiceContext.current?.clientAddress ?? context.peerAddress ?? "unknown"
    let (policy, key) = policies.policy(path: path, user: identity?.userID, client: client)
    let decision = await limiter.decide(key: key, policy: policy)
    var fields = HTTPFields()
    fields[.rateLimitPolicy] = policies.field(applying: policy)
    fields[.rateLimit] = decision.field(policy)
    guard decision.allowed else {
      var problem = APIProblem(
        status: .tooManyRequests, code: "too_many_requests",
        detail: "over the \(policy.name) rate limit of \(policy.quota) requests per \(policy.window); retry later")
      problem.headers = fields
      problem.headers[.retryAfter] = "\(decision.retryAfterSeconds)"
      throw problem
    }
    var context = context
    do {
      var response: Response
      if let identity {
        context.identity = identity
        context.logger[metadataKey: "user.id"] = .string(identity.userID)
        var serviceContext = ServiceContext.current ?? .topLevel
        serviceContext.callerIdentity = identity
        response = try await ServiceContext.withValue(serviceContext) { try await next(request, context) }
      } else {
        response = try await next(request, context)
      }
      response.headers.append(contentsOf: fields)
      return response
    } catch {
      throw FieldsCarryingError(error: error, fields: fields)
    }
  }

  /// The caller a valid bearer token names; nil without one, or for one that is not valid
  /// (the routes that need a caller refuse it with the reason).
  private func verifiedCaller(_ request: Request) async -> CallerIdentity? {
    guard let header = request.headers[.authorization] else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty,
      let claims = try? await verifier.verify(String(parts[1]))
    else { return nil }
    return CallerIdentity(userID: claims.subject, role: claims.role, token: String(parts[1]))
  }
}

extension HTTPField.Name {
  static let rateLimit = HTTPField.Name("RateLimit")!
  static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
}
