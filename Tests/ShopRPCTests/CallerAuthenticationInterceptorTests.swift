import GRPCCore
import GRPCInProcessTransport
import ServiceContextModule
import ShopContracts
import ShopTestSupport
import Testing

@testable import ShopRPC

/// Each method's rule decides who gets through, before the service runs.
@Suite struct CallerAuthenticationInterceptorTests {
  typealias Server = ContextPropagationTests

  static let policy = AccessPolicy(
    service: Shop_User_V1_UserService.descriptor,
    rules: [
      "GetUser": .init(["gateway": .required, "notification": .none]),
      "Login": .init(["gateway": .none]),
      "UpdateUser": .init(["gateway": .admin]),
    ])

  static func token(_ user: String, _ role: String = "customer") -> Metadata {
    ["authorization": "Bearer valid-\(user)-\(role)"]
  }

  static func getUser(_ id: String = "") -> Shop_User_V1_GetUserRequest {
    var request = Shop_User_V1_GetUserRequest()
    request.userID = id
    return request
  }

  @Test func aUserIsTakenFromTheTokenAndAnotherUsersIdIsNotFound() async throws {
    try await Server.withServer(policy: Self.policy) { users in
      var metadata = Server.asService("gateway")
      metadata.add(contentsOf: Self.token("b"))
      let own = try await users.getUser(Self.getUser(), metadata: metadata)
      let named = try await users.getUser(Self.getUser("b"), metadata: metadata)
      #expect(own.id == "b" && named.id == "b")
      #expect(
        await InProcessRPC.code { _ = try await users.getUser(Self.getUser("a"), metadata: metadata) } == .notFound)
    }
  }

  @Test func aServiceActsForItselfOnlyWhereItsRuleSaysSo() async throws {
    try await Server.withServer(policy: Self.policy) { users in
      let notification = try await users.getUser(Self.getUser("a"), metadata: Server.asService("notification"))
      #expect(notification.id == "a" && notification.role == "notification")
      // The gateway must forward a user's token for it.
      #expect(
        await InProcessRPC.code {
          _ = try await users.getUser(Self.getUser("a"), metadata: Server.asService("gateway"))
        }
          == .unauthenticated)
      // A service the rule does not name is refused, token or not.
      var order = Server.asService("order")
      order.add(contentsOf: Self.token("a"))
      #expect(
        await InProcessRPC.code { _ = try await users.getUser(Self.getUser("a"), metadata: order) } == .permissionDenied
      )
    }
  }

  @Test func noIdentityAnInvalidTokenANonAdminAndAMethodWithoutARuleAreRefused() async throws {
    try await Server.withServer(policy: Self.policy) { users in
      #expect(await InProcessRPC.code { _ = try await users.login(.init()) } == .unauthenticated, "no certificate")
      var forged = Server.asService("gateway")
      forged.addString("Bearer forged", forKey: "authorization")
      #expect(
        await InProcessRPC.code { _ = try await users.getUser(Self.getUser(), metadata: forged) } == .unauthenticated)
      var customer = Server.asService("gateway")
      customer.add(contentsOf: Self.token("c"))
      #expect(
        await InProcessRPC.code { _ = try await users.updateUser(.init(), metadata: customer) } == .permissionDenied)
      #expect(
        await InProcessRPC.code { _ = try await users.getJWKS(.init(), metadata: Server.asService("gateway")) }
          == .permissionDenied, "GetJWKS has no rule here")
    }
  }
}
