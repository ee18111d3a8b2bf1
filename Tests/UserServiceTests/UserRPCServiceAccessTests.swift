import Foundation
import GRPCCore
import Logging
import ShopAuth
import ShopContracts
import ShopRPC
import ShopTestSupport
import Testing

@testable import UserService

/// The user service's own answer to who may read what: a user is taken from the verified
/// token, never from the request.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct UserRPCServiceAccessTests {
  @Test func anotherUsersProfileAndAddressesAreNotFound() async throws {
    let issuer = await AccessTokenIssuer(key: try SigningKey.generate(), issuer: "swiftshop", audience: "swiftshop-api")
    let verifier = AccessTokenVerifier(issuer: "swiftshop", audience: "swiftshop-api") { issuer.jwks }
    try await TestDatabase.with(migrations: try UserServiceDeclaration.migrations()) { client, _ in
      let accounts = try await UserAccounts(
        store: PostgresUserStore(client: client, logger: Logger(label: "test")), hasher: PasswordHasher(cost: 10),
        issuer: issuer)
      let a = try await accounts.register(email: "a@example.com", password: "correct horse", name: "A")
      _ = try await accounts.addAddress(
        userID: a.id, line1: "1 Main St", line2: nil, city: "Springfield", postalCode: "12345", country: "US",
        isDefault: true)
      let b = try await accounts.register(email: "b@example.com", password: "correct horse", name: "B")
      let tokenB = try await issuer.issue(subject: b.id, role: "customer")
      try await InProcessRPC.withServer(
        services: [UserRPCService(accounts: accounts, issuer: issuer)],
        policy: UserRPCService<PostgresUserStore>.accessPolicy,
        verifyToken: { token in
          let claims = try await verifier.verify(token)
          return CallerIdentity(userID: claims.subject, role: claims.role, token: token)
        }
      ) { grpc in
        let users = Shop_User_V1_UserService.Client(wrapping: grpc)
        let asB = InProcessRPC.caller("gateway", token: tokenB)
        var ofA = Shop_User_V1_GetUserRequest()
        ofA.userID = a.id.uuidString.lowercased()
        #expect(await InProcessRPC.code { _ = try await users.getUser(ofA, metadata: asB) } == .notFound)
        var addressesOfA = Shop_User_V1_ListAddressesRequest()
        addressesOfA.userID = a.id.uuidString.lowercased()
        #expect(await InProcessRPC.code { _ = try await users.listAddresses(addressesOfA, metadata: asB) } == .notFound)
        // B's own profile, named or not, and A's only for a service acting for itself.
        let own = try await users.getUser(Shop_User_V1_GetUserRequest(), metadata: asB)
        #expect(own.id == b.id.uuidString.lowercased())
        let forNotification = try await users.getUser(ofA, metadata: InProcessRPC.caller("notification"))
        #expect(forNotification.email == "a@example.com" && forNotification.addresses.count == 1)
        #expect(
          await InProcessRPC.code { _ = try await users.getUser(ofA, metadata: InProcessRPC.caller("gateway")) }
            == .unauthenticated, "the gateway reads a profile only with its user's token")
      }
    }
  }
}
