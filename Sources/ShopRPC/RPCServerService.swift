import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// A gRPC server (HTTP/2, plaintext on the configured address) as a lifecycle `Service`:
/// graceful shutdown stops accepting calls and lets the running ones finish.
public struct RPCServerService: Service {
  public let host: String
  public let port: Int
  private let server: GRPCServer<HTTP2ServerTransport.Posix>

  public init(host: String, port: Int, services: [any RegistrableRPCService], logger: Logger) {
    self.host = host
    self.port = port
    self.server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: host, port: port),
        transportSecurity: .plaintext,
        config: .defaults { $0.rpc.maxRequestPayloadSize = 4 * 1024 * 1024 }
      ),
      services: services,
      interceptors: [ServerObservabilityInterceptor(logger: logger)]
    )
  }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await server.serve()
    } onGracefulShutdown: {
      server.beginGracefulShutdown()
    }
  }
}
