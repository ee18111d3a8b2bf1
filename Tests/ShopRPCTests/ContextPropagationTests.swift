import GRPCCore
import GRPCInProcessTransport
import Logging
import ServiceContextModule
import ShopContracts
import ShopObservability
import Synchronization
import Testing

@testable import ShopRPC

/// The request id and the caller's identity set on the client side arrive in the server's
/// task context, through the two interceptors and real gRPC metadata.
@Suite struct ContextPropagationTests {
  /// Records the context each call was served in.
  final class Recorder: Sendable {
    let seen = Mutex<[(String?, CallerIdentity?)]>([])
  }

  struct EchoUserService: Shop_User_V1_UserService.SimpleServiceProtocol {
    let recorder: Recorder

    func getJWKS(request: Shop_User_V1_Empty, context: ServerContext) async throws -> Shop_User_V1_JWKS {
      let current = ServiceContext.current
      recorder.seen.withLock { $0.append((current?.requestID, current?.callerIdentity)) }
      return .init()
    }

    func register(request: Shop_User_V1_RegisterRequest, context: ServerContext) async throws -> Shop_User_V1_User {
      throw RPCError(code: .unimplemented, message: "")
    }
    func login(request: Shop_User_V1_LoginRequest, context: ServerContext) async throws -> Shop_User_V1_TokenPair {
      throw RPCError(code: .unimplemented, message: "")
    }
    func refresh(request: Shop_User_V1_RefreshRequest, context: ServerContext) async throws -> Shop_User_V1_TokenPair {
      throw RPCError(code: .unimplemented, message: "")
    }
    func logout(request: Shop_User_V1_LogoutRequest, context: ServerContext) async throws -> Shop_User_V1_Empty {
      throw RPCError(code: .unimplemented, message: "")
    }
    func getUser(request: Shop_User_V1_GetUserRequest, context: ServerContext) async throws -> Shop_User_V1_User {
      throw RPCError(code: .unimplemented, message: "")
    }
    func updateUser(request: Shop_User_V1_UpdateUserRequest, context: ServerContext) async throws -> Shop_User_V1_User {
      throw RPCError(code: .unimplemented, message: "")
    }
    func addAddress(request: Shop_User_V1_AddAddressRequest, context: ServerContext) async throws
      -> Shop_User_V1_Address
    {
      throw RPCError(code: .unimplemented, message: "")
    }
    func listAddresses(
      request: Shop_User_V1_ListAddressesRequest, context: ServerContext
    ) async throws -> Shop_User_V1_AddressList {
      throw RPCError(code: .unimplemented, message: "")
    }
    func deleteAddress(
      request: Shop_User_V1_DeleteAddressRequest, context: ServerContext
    ) async throws -> Shop_User_V1_Empty {
      throw RPCError(code: .unimplemented, message: "")
    }
  }

  @Test func requestIDAndCallerTravelToTheServer() async throws {
    let recorder = Recorder()
    let transport = InProcessTransport()
    let server = GRPCServer(
      transport: transport.server, services: [EchoUserService(recorder: recorder)],
      interceptors: [ServerObservabilityInterceptor(logger: Logger(label: "test"))])
    let client = GRPCClient(transport: transport.client, interceptors: [ClientContextInterceptor()])
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      group.addTask { try await client.runConnections() }
      let users = Shop_User_V1_UserService.Client(wrapping: client)

      var context = ServiceContext.topLevel
      context.requestID = "req-77"
      context.callerIdentity = CallerIdentity(userID: "u-1", role: "admin")
      try await ServiceContext.withValue(context) {
        _ = try await users.getJWKS(Shop_User_V1_Empty())
      }
      // Without a request id the server makes one.
      _ = try await users.getJWKS(Shop_User_V1_Empty())

      client.beginGracefulShutdown()
      server.beginGracefulShutdown()
      try await group.waitForAll()
    }
    let seen = recorder.seen.withLock { $0 }
    #expect(seen.count == 2)
    #expect(seen[0].0 == "req-77")
    #expect(seen[0].1 == CallerIdentity(userID: "u-1", role: "admin"))
    #expect(seen[1].0 != nil && seen[1].0 != "req-77")
    #expect(seen[1].1 == nil)
  }

  @Test func splitsAddresses() throws {
    #expect(try RPCClientService.split("127.0.0.1:50051") == ("127.0.0.1", 50051))
    #expect(try RPCClientService.split("user.shop.svc:50051") == ("user.shop.svc", 50051))
    #expect(throws: RPCError.self) { try RPCClientService.split("no-port") }
    #expect(throws: RPCError.self) { try RPCClientService.split("host:99999") }
  }
}
