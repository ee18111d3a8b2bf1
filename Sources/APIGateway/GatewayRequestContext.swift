import Hummingbird
import ShopRPC

/// Per-request state of the gateway: Hummingbird's core, the request id, and the caller once
/// a bearer token has been verified.
public struct GatewayRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  public var requestID: String = ""
  public var identity: CallerIdentity?
  /// The address of the connection's other end: the client, or the proxy in front.
  public let peerAddress: String?

  public init(source: Source) {
    self.coreContext = .init(source: source)
    self.peerAddress = source.channel.remoteAddress?.ipAddress
  }

  /// The caller, or 401 when the route needs one and the request had no valid token.
  public func requireIdentity() throws -> CallerIdentity {
    guard let identity else { throw APIProblem.unauthorized("authentication required") }
    return identity
  }

  /// Nothing, or 401 without a caller and 403 for a caller who is not an admin.
  public func requireAdmin() throws {
    guard try requireIdentity().role == "admin" else { throw APIProblem.forbidden("this route is for admins") }
  }
}
