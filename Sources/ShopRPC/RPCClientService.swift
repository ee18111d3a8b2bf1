import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle

/// A gRPC client of one upstream, whose connections run as a lifecycle `Service`.
///
/// Reconnects quickly (100 ms doubling to 2 s) so that a restarted upstream is used again
/// within seconds, and keeps the connection alive with HTTP/2 pings.
public struct RPCClientService: Service {
  public let client: GRPCClient<HTTP2ClientTransport.Posix>

  /// - Parameter address: `host:port`; a literal IPv4 address is dialled directly, a name
  ///   is resolved through DNS (and all its addresses are balanced over).
  public init(address: String, security: RPCSecurity) throws {
    let (host, port) = try Self.split(address)
    let target: any ResolvableTarget =
      host.split(separator: ".").count == 4 && host.allSatisfy({ $0.isNumber || $0 == "." })
      ? .ipv4(address: host, port: port) : .dns(host: host, port: port)
    let transport = try HTTP2ClientTransport.Posix(
      target: target,
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

  static func split(_ address: String) throws -> (String, Int) {
    guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
      (1...65535).contains(port)
    else {
      throw RPCError(code: .invalidArgument, message: "address \(address) is not host:port")
    }
    return (String(address[..<colon]), port)
  }
}
