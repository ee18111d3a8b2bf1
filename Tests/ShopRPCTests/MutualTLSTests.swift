import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import ShopContracts
import ShopTestSupport
import Testing

@testable import ShopRPC

/// Real TLS over loopback: a server of the stack takes only clients with a certificate of the
/// stack's CA, and knows each by its certificate's name.
@Suite struct MutualTLSTests {
  static let policy = AccessPolicy(
    service: Shop_User_V1_UserService.descriptor,
    rules: ["GetJWKS": .anyService(.none), "GetUser": .init(["gateway": .none])])

  static func security(_ certificates: TestCertificates, _ name: String) -> RPCSecurity {
    RPCSecurity(
      mode: .mutualTLS(
        caFile: certificates.path("ca.pem"), certificateFile: certificates.path("\(name).pem"),
        keyFile: certificates.path("\(name)-key.pem")))
  }

  /// Runs a TLS server of the echo service as `user`; `body` gets its port.
  static func withServer(_ certificates: TestCertificates, _ body: @Sendable (Int) async throws -> Void) async throws {
    let server = RPCServerService(
      host: "127.0.0.1", port: 0, security: security(certificates, "user"),
      services: [ContextPropagationTests.EchoUserService(recorder: .init())],
      authentication: CallerAuthenticationInterceptor(policy: policy) { _ in
        throw RPCError(code: .unauthenticated, message: "no tokens here")
      },
      logger: Logger(label: "test.tls"))
    let group = ServiceGroup(services: [server], logger: Logger(label: "test.tls"))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      let address = try #require(try await server.listeningAddress?.ipv4)
      do {
        try await body(address.port)
      } catch {
        await group.triggerGracefulShutdown()
        throw error
      }
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
    }
  }

  /// Calls GetUser once over a client with `security`, returning the answer or the error.
  static func getUser(
    port: Int, security: HTTP2ClientTransport.Posix.TransportSecurity
  ) async throws -> Result<Shop_User_V1_User, RPCError> {
    let client = GRPCClient(
      transport: try HTTP2ClientTransport.Posix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: security))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await client.runConnections() }
      defer { client.beginGracefulShutdown() }
      var request = Shop_User_V1_GetUserRequest()
      request.userID = "a"
      do {
        return .success(
          try await Shop_User_V1_UserService.Client(wrapping: client).getUser(
            request, options: Upstream<Int>.options(timeout: .seconds(5))))
      } catch let error as RPCError {
        return .failure(error)
      }
    }
  }

  static func code(_ result: Result<Shop_User_V1_User, RPCError>) -> RPCError.Code? {
    if case .failure(let error) = result { return error.code }
    return nil
  }

  @Test func aServerKnowsItsCallerByTheCertificateAndRefusesOneWithout() async throws {
    let certificates = try TestCertificates(names: ["user", "gateway", "notification"], foreign: ["intruder"])
    defer { certificates.remove() }
    try await Self.withServer(certificates) { port in
      let gateway = try await Self.getUser(port: port, security: Self.security(certificates, "gateway").client).get()
      #expect(gateway.id == "a" && gateway.role == "gateway", "the service is named by its certificate")
      let notification = try await Self.getUser(
        port: port, security: Self.security(certificates, "notification").client)
      #expect(Self.code(notification) == .permissionDenied)
      // A certificate of another CA, and none at all, fail at the handshake.
      let intruder = try await Self.getUser(port: port, security: Self.security(certificates, "intruder").client)
      #expect(Self.code(intruder) == .unavailable)
      let anonymous = try await Self.getUser(
        port: port,
        security: .tls {
          $0.trustRoots = .certificates([.file(path: certificates.path("ca.pem"), format: .pem)])
          $0.serverCertificateVerification = .noHostnameVerification
        })
      #expect(Self.code(anonymous) == .unavailable)
    }
  }
}
