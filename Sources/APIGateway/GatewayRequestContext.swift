import Hummingbird
import ShopRPC

/// Per-request state of the gateway: Hummingbird's core, the request id, and the caller once
/// a bearer token has been verified.
public struct GatewayRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  public var requestID: String = ""
  public var identity: CallerIdentity?

  public init(source: Source) {
    self.coreContext = .init(source: source)
  }

  /// The caller, or 401 when the route needs one and the request had no valid token.
  public func requireIdentity() throws -> CallerIdentity {
    guard let identity else { throw APIProblem.unauthorized("authentication required") }
    return identity
  }
}
