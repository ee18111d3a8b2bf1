import Hummingbird

/// Hummingbird's tracing (a server span per request, continuing the caller's trace from its
/// `traceparent`) for a process's API routes, and none for the operations routes: a scrape or
/// a health probe every few seconds would be a trace each, about nothing a customer did.
public struct APITracingMiddleware<Context: RequestContext>: RouterMiddleware {
  private let tracing = TracingMiddleware<Context>()

  public init() {}

  /// The routes ``Router/addOperationsRoutes(health:registry:)`` adds.
  public static func isOperational(_ path: String) -> Bool {
    path == "/metrics" || path == "/health" || path.hasPrefix("/health/")
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard !Self.isOperational(request.uri.path) else { return try await next(request, context) }
    return try await tracing.handle(request, context: context, next: next)
  }
}
