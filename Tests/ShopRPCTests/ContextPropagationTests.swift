import GRPCCore
import GRPCInProcessTransport
import Logging
import ServiceContextModule
import ShopContracts
import ShopObservability
import ShopTestSupport
import Synchronization
import Testing

@testable import ShopRPC

/// The request id and the end user's token set on the client side arrive in the server's
/// task context, through the interceptors and real gRPC metadata.
@Suite struct ContextPropagationTests {
  /// Records the context each call was served in.
  final class Recorder: Sendable {
    let seen = Mutex<[(String?, CallerIdentity?, String?)]>([])
  }

  struct EchoUserService: Shop_User_V1_UserService.SimpleServiceProtocol {
    let recorder: Recorder

    func getJWKS(request: Shop_User_V1_Empty, context: ServerContext) async throws -> Shop_User_V1_JWKS {
      let current = ServiceContext.current
      recorder.seen.withLock { $0.append((current?.requestID, current?.callerIdentity, current?.clientAddress)) }
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
      var user = Shop_User_V1_User()
      user.id = try RPCCaller.subject(requested: request.userID)
      user.role = RPCCaller.service ?? ""
      return user
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

  /// A server of the echo service in process; `body` gets its client.
  static func withServer(
    policy: AccessPolicy, recorder: Recorder = Recorder(),
    _ body: @Sendable (Shop_User_V1_UserService.Client<InProcessTransport.Client>) async throws -> Void
  ) async throws {
    try await InProcessRPC.withServer(
      services: [EchoUserService(recorder: recorder)], policy: policy,
      verifyToken: { token in
        guard token.hasPrefix("valid-") else { throw RPCError(code: .unauthenticated, message: "bad token") }
        let parts = token.split(separator: "-")
        return CallerIdentity(userID: String(parts[1]), role: String(parts[2]), token: token)
      }
    ) { client in
      try await body(Shop_User_V1_UserService.Client(wrapping: client))
    }
  }

  static func asService(_ name: String) -> Metadata { InProcessRPC.caller(name) }

  @Test func requestIDAndTheUsersTokenTravelToTheServerWhichVerifiesIt() async throws {
    let recorder = Recorder()
    let policy = AccessPolicy(service: Shop_User_V1_UserService.descriptor, rules: ["GetJWKS": .anyService(.none)])
    try await Self.withServer(policy: policy, recorder: recorder) { users in
      var context = ServiceContext.topLevel
      context.requestID = "req-77"
      context.callerIdentity = CallerIdentity(userID: "u1", role: "admin", token: "valid-u1-admin")
      context.clientAddress = "203.0.113.7"
      try await ServiceContext.withValue(context) {
        _ = try await users.getJWKS(Shop_User_V1_Empty(), metadata: Self.asService("gateway"))
      }
      // Without a request id the server makes one; without a user, none is assumed.
      _ = try await users.getJWKS(Shop_User_V1_Empty(), metadata: Self.asService("gateway"))
    }
    let seen = recorder.seen.withLock { $0 }
    #expect(seen.count == 2)
    #expect(seen[0].0 == "req-77")
    #expect(seen[0].1 == CallerIdentity(userID: "u1", role: "admin", token: "valid-u1-admin"))
    #expect(seen[1].0 != nil && seen[1].0 != "req-77")
    #expect(seen[1].1 == nil)
    #expect(seen[0].2 == "203.0.113.7" && seen[1].2 == nil, "the client's address travels for its limits")
  }
}
