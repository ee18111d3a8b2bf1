import GRPCCore
import GRPCInProcessTransport
import Logging
import ShopRPC

/// gRPC services served in process behind the stack's interceptors, for tests of who may call
/// what. The calling service names itself in metadata (``caller(_:token:)``), where a real
/// server reads its certificate.
public enum InProcessRPC {
  public static let serviceKey = "x-test-service"

  /// Metadata of a call made by `service`, for the user of `token` when given.
  public static func caller(_ service: String, token: String? = nil) -> Metadata {
    var metadata: Metadata = [serviceKey: "\(service)"]
    if let token { metadata.addString("Bearer \(token)", forKey: RPCMetadataKeys.authorization) }
    return metadata
  }

  public static func withServer<T: Sendable>(
    services: [any RegistrableRPCService], policy: AccessPolicy,
    verifyToken: @escaping CallerAuthenticationInterceptor.TokenVerifier,
    _ body: @Sendable (GRPCClient<InProcessTransport.Client>) async throws -> T
  ) async throws -> T {
    let transport = InProcessTransport()
    let authentication = CallerAuthenticationInterceptor(
      policy: policy, verifyToken: verifyToken,
      identifyService: { _, metadata in metadata[stringValues: serviceKey].first(where: { _ in true }) })
    let server = GRPCServer(
      transport: transport.server, services: services,
      interceptors: [ServerObservabilityInterceptor(logger: Logger(label: "test.rpc")), authentication])
    let client = GRPCClient(transport: transport.client, interceptors: [ClientContextInterceptor()])
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      group.addTask { try await client.runConnections() }
      defer {
        client.beginGracefulShutdown()
        server.beginGracefulShutdown()
      }
      return try await body(client)
    }
  }

  /// The code a call failed with, or `nil` when it succeeded.
  public static func code(_ call: () async throws -> Void) async -> RPCError.Code? {
    do {
      try await call()
      return nil
    } catch let error as RPCError {
      return error.code
    } catch {
      return .unknown
    }
  }
}
