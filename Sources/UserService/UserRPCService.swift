import Foundation
import GRPCCore
import ShopAuth
import ShopContracts
import ShopRPC

/// The gRPC face of ``UserAccounts``: translates messages, nothing more.
struct UserRPCService<Store: UserStore>: Shop_User_V1_UserService.SimpleServiceProtocol {
  let accounts: UserAccounts<Store>
  let issuer: AccessTokenIssuer

  func register(request: Shop_User_V1_RegisterRequest, context: ServerContext) async throws -> Shop_User_V1_User {
    let user = try await accounts.register(email: request.email, password: request.password, name: request.name)
    return .init(user, addresses: [])
  }

  func login(request: Shop_User_V1_LoginRequest, context: ServerContext) async throws -> Shop_User_V1_TokenPair {
    .init(try await accounts.login(email: request.email, password: request.password, client: RPCCaller.clientAddress))
  }

  func refresh(request: Shop_User_V1_RefreshRequest, context: ServerContext) async throws -> Shop_User_V1_TokenPair {
    .init(try await accounts.refresh(request.refreshToken))
  }

  func logout(request: Shop_User_V1_LogoutRequest, context: ServerContext) async throws -> Shop_User_V1_Empty {
    try await accounts.logout(request.refreshToken)
    return .init()
  }

  func getUser(request: Shop_User_V1_GetUserRequest, context: ServerContext) async throws -> Shop_User_V1_User {
    let (user, addresses) = try await accounts.profile(
      userID: try Self.uuid(try RPCCaller.subject(requested: request.userID), "user"))
    return .init(user, addresses: addresses)
  }

  func updateUser(request: Shop_User_V1_UpdateUserRequest, context: ServerContext) async throws -> Shop_User_V1_User {
    let (user, addresses) = try await accounts.updateProfile(
      userID: try Self.uuid(try RPCCaller.subject(requested: request.userID), "user"),
      name: request.hasName ? request.name : nil,
      phone: request.hasPhone ? request.phone : nil
    )
    return .init(user, addresses: addresses)
  }

  func addAddress(request: Shop_User_V1_AddAddressRequest, context: ServerContext) async throws -> Shop_User_V1_Address
  {
    let address = try await accounts.addAddress(
      userID: try Self.uuid(try RPCCaller.subject(requested: request.userID), "user"), line1: request.line1,
      line2: request.hasLine2 ? request.line2 : nil, city: request.city, postalCode: request.postalCode,
      country: request.country, isDefault: request.isDefault
    )
    return .init(address)
  }

  func listAddresses(
    request: Shop_User_V1_ListAddressesRequest, context: ServerContext
  ) async throws -> Shop_User_V1_AddressList {
    var list = Shop_User_V1_AddressList()
    list.items = try await accounts.addresses(
      userID: try Self.uuid(try RPCCaller.subject(requested: request.userID), "user")
    ).map(
      Shop_User_V1_Address.init)
    return list
  }

  func deleteAddress(request: Shop_User_V1_DeleteAddressRequest, context: ServerContext) async throws
    -> Shop_User_V1_Empty
  {
    try await accounts.deleteAddress(
      userID: try Self.uuid(try RPCCaller.subject(requested: request.userID), "user"),
      addressID: try Self.uuid(request.addressID, "address"))
    return .init()
  }

  func getJWKS(request: Shop_User_V1_Empty, context: ServerContext) async throws -> Shop_User_V1_JWKS {
    var jwks = Shop_User_V1_JWKS()
    jwks.json = try issuer.jwks.json()
    return jwks
  }

  /// A malformed id names nothing, so it is answered like an unknown one.
  private static func uuid(_ string: String, _ what: String) throws -> UUID {
    guard let id = UUID(uuidString: string) else { throw UserError.notFound(what) }
    return id
  }
}

extension Shop_User_V1_User {
  init(_ user: UserRecord, addresses: [AddressRecord]) {
    self.init()
    id = user.id.uuidString.lowercased()
    email = user.email
    name = user.name
    if let phone = user.phone { self.phone = phone }
    role = user.role.rawValue
    createdAt = user.createdAt.rfc3339
    self.addresses = addresses.map(Shop_User_V1_Address.init)
  }
}

extension Shop_User_V1_Address {
  init(_ a: AddressRecord) {
    self.init()
    id = a.id.uuidString.lowercased()
    line1 = a.line1
    if let line2 = a.line2 { self.line2 = line2 }
    city = a.city
    postalCode = a.postalCode
    country = a.country
    isDefault = a.isDefault
    createdAt = a.createdAt.rfc3339
  }
}

extension Shop_User_V1_TokenPair {
  init<S>(_ tokens: UserAccounts<S>.Tokens) {
    self.init()
    accessToken = tokens.accessToken
    refreshToken = tokens.refreshToken
    expiresIn = Int64(tokens.expiresIn)
  }
}
