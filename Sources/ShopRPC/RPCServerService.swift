import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// A gRPC server (HTTP/2, mutual TLS unless configured plaintext) as a lifecycle `Service`:
/// graceful shutdown stops accepting calls and lets the running ones finish. Every call is
/// observed, then authenticated by `authentication`, before it reaches a service.
public struct RPCServerService: Service {
  public let host: String
  public let port: Int
  private let server: GRPCServer<HTTP2ServerTransport.Posix>

  public init(
    host: String, port: Int, security: RPCSecurity, services: [any RegistrableRPCService],
    authentication: CallerAuthenticationInterceptor, logger: Logger
  ) {
    self.host = host
    self.port = port
    self.server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: host, port: port),
        transportSecurity: security.server,
        config: .defaults { $0.rpc.maxRequestPayloadSize = 4 * 1024 * 1024 }
      ),
      services: services,
      interceptors: [ServerObservabilityInterceptor(logger: logger), authentication]
    )
  }

  /// The address the server listens on once it runs (the port is chosen when 0 was given).
  public var listeningAddress: SocketAddress? {
    get async throws { try await server.listeningAddress }
  }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await server.serve()
    } onGracefulShutdown: {
      server.beginGracefulShutdown()
    }
  }
}
