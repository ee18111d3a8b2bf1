import GRPCCore
import ShopRPC
import ShopResilience

/// Calls to another service whose failure to answer is this service's `unavailable`: a
/// service that is down, too slow or behind an open breaker is `503` to the client, never a
/// `500`; its answers about the request (not found, out of stock) pass through.
enum UpstreamFailure {
  static func mapped<T: Sendable>(_ service: String, _ call: () async throws -> T) async throws -> T {
    do {
      return try await call()
    } catch is CircuitBreakerOpenError {
      throw OrderError.unavailable("the \(service) service")
    } catch let error as RPCError where Upstream<Never>.isUnhealthy(error) {
      throw OrderError.unavailable("the \(service) service")
    }
  }
}
