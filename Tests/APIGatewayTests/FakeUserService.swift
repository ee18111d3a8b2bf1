import Foundation
import GRPCCore
import ShopAuth
import ShopContracts
import ShopRPC

/// A user service that answers from memory: enough to exercise the gateway's translation,
/// authentication and error mapping without a database.
struct FakeUserService: Shop_User_V1_UserService.SimpleServiceProtocol {
  let issuer: AccessTokenIssuer
  let user = UUID()

  static func failure(_ code: RPCError.Code, _ apiCode: String, _ message: String) -> RPCError {
    var metadata: Metadata = [:]
    metadata.addString(apiCode, forKey: RPCMetadataKeys.errorCode)
    return RPCError(code: code, message: message, metadata: metadata)
  }

  func register(request: Shop_User_V1_RegisterRequest, context: ServerContext) async throws -> Shop_User_V1_User {
    if request.email == "taken@example.com" {
      throw Self.failure(.alreadyExists, "email_taken", "an account with this email already exists")
    }
    var user = Shop_User_V1_User()
    user.id = self.user.uuidString.lowercased()
    user.email = request.email
    user.name = request.name
    user.role = "customer"
    user.createdAt = "2026-01-01T00:00:00.000Z"
    return user
  }

  func login(request: Shop_User_V1_LoginRequest, context: ServerContext) async throws -> Shop_User_V1_TokenPair {
    guard request.password == "right password" else {
      throw Self.failure(.unauthenticated, "invalid_credentials", "email or password is wrong")
    }
    var pair = Shop_User_V1_TokenPair()
    pair.accessToken = try await issuer.issue(subject: user, role: "customer")
    pair.refreshToken = "rt_fake"
    pair.expiresIn = 900
    return pair
  }

  func refresh(request: Shop_User_V1_RefreshRequest, context: ServerContext) async throws -> Shop_User_V1_TokenPair {
    throw Self.failure(.unauthenticated, "unauthorized", "the refresh token is invalid, expired or spent")
  }

  func logout(request: Shop_User_V1_LogoutRequest, context: ServerContext) async throws -> Shop_User_V1_Empty {
    .init()
  }

  func getUser(request: Shop_User_V1_GetUserRequest, context: ServerContext) async throws -> Shop_User_V1_User {
    var user = Shop_User_V1_User()
    user.id = request.userID
    user.email = "ann@example.com"
    user.name = "Ann"
    user.role = "customer"
    user.createdAt = "2026-01-01T00:00:00.000Z"
    return user
  }

  func updateUser(request: Shop_User_V1_UpdateUserRequest, context: ServerContext) async throws -> Shop_User_V1_User {
    var user = try await getUser(request: .init(), context: context)
    user.id = request.userID
    if request.hasName { user.name = request.name }
    return user
  }

  func addAddress(request: Shop_User_V1_AddAddressRequest, context: ServerContext) async throws -> Shop_User_V1_Address
  {
    throw Self.failure(.invalidArgument, "validation_failed", "country must be an ISO 3166-1 alpha-2 code")
  }

  func listAddresses(
    request: Shop_User_V1_ListAddressesRequest, context: ServerContext
  ) async throws -> Shop_User_V1_AddressList {
    .init()
  }

  func deleteAddress(request: Shop_User_V1_DeleteAddressRequest, context: ServerContext) async throws
    -> Shop_User_V1_Empty
  {
    throw Self.failure(.notFound, "not_found", "address not found")
  }

  func getJWKS(request: Shop_User_V1_Empty, context: ServerContext) async throws -> Shop_User_V1_JWKS {
    var jwks = Shop_User_V1_JWKS()
    jwks.json = try issuer.jwks.json()
    return jwks
  }
}
