import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle

/// A gRPC client of one upstream, whose connections run as a lifecycle `Service`.
///
/// Reconnects quickly (100 ms doubling to 2 s) so that a restarted upstream is used again
/// within seconds, and keeps the connection alive with HTTP/2 pings.
public struct RPCClientService: Service {
  public let client: GRPCClient<HTTP2ClientTransport.Posix>

  /// - Parameter target: where the instances are; a name resolved to several addresses is
  ///   balanced over round-robin, skipping connections that are not ready.
  public init(target: UpstreamTarget, security: RPCSecurity) throws {
    let transport = try HTTP2ClientTransport.Posix(
      target: try target.resolvable,
      transportSecurity: security.client,
      config: .defaults {
        $0.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 2, jitter: 0.2)
        $0.connection.keepalive = .init(time: .seconds(30), timeout: .seconds(5), allowWithoutCalls: false)
      },
      serviceConfig: ServiceConfig(loadBalancingConfig: [.roundRobin])
    )
    self.client = GRPCClient(transport: transport, interceptors: [ClientContextInterceptor()])
  }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await client.runConnections()
    } onGracefulShutdown: {
      client.beginGracefulShutdown()
    }
  }
}
