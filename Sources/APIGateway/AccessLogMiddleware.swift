import Hummingbird
import Logging
import ShopAdmin

/// One `info` line per API request, inside its trace (it runs after the tracing middleware),
/// so that `shop logs --trace` finds the request at the edge beside what the services did
/// for it. Health probes and scrapes are left out: they come every few seconds and tell
/// nothing about a customer.
struct AccessLogMiddleware: RouterMiddleware {
  typealias Context = GatewayRequestContext

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let path = request.uri.path
    guard !APITracingMiddleware<Context>.isOperational(path) else { return try await next(request, context) }
    let start = ContinuousClock.now
    do {
      let response = try await next(request, context)
      log(request, context: context, status: Int(response.status.code), since: start)
      return response
    } catch {
      let status = EdgeMiddleware.problem(for: FieldsCarryingError.unwrap(error).0).status.code
      log(request, context: context, status: Int(status), since: start)
      throw error
    }
  }

  private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    context.logger.info(
      "request",
      metadata: [
        "event.dataset": "gateway.access", "http.request.method": "\(request.method.rawValue)",
        "url.path": "\(request.uri.path)", "http.response.status_code": .stringConvertible(status),
        // ECS: nanoseconds.
        "event.duration": .stringConvertible(
          elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000),
      ])
  }
}
