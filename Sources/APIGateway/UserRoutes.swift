import GRPCCore
import Hummingbird
import ShopAuth
import ShopContracts
import ShopRPC

/// The "Users and auth" routes of API.md, each translated into one user-service call.
struct UserRoutes<Transport: ClientTransport>: Sendable {
  let upstream: Upstream<Shop_User_V1_UserService.Client<Transport>>
  let maxBodyBytes: Int

  func add(to api: RouterGroup<GatewayRequestContext>, auth: BearerAuthMiddleware) {
    api.post("users/register", use: register)
    api.post("auth/login", use: login)
    api.post("auth/refresh", use: refresh)
    api.post("auth/logout", use: logout)
    let me = api.group("users/me").add(middleware: auth)
    me.get(use: profile)
    me.patch(use: updateProfile)
    me.post("addresses", use: addAddress)
    me.get("addresses", use: listAddresses)
    me.delete("addresses/{id}", use: deleteAddress)
  }

  @Sendable func register(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(RegisterBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_User_V1_RegisterRequest()
    message.email = body.email
    message.password = body.password
    message.name = body.name
    let user = try await upstream.once { try await $0.register(message, options: $1) }
    return try JSONIO.response(.created, UserView(user))
  }

  @Sendable func login(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(LoginBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_User_V1_LoginRequest()
    message.email = body.email
    message.password = body.password
    let pair = try await upstream.once { try await $0.login(message, options: $1) }
    return try JSONIO.response(.ok, TokenView(pair))
  }

  @Sendable func refresh(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(RefreshTokenBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_User_V1_RefreshRequest()
    message.refreshToken = body.refreshToken
    let pair = try await upstream.once { try await $0.refresh(message, options: $1) }
    return try JSONIO.response(.ok, TokenView(pair))
  }

  @Sendable func logout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(RefreshTokenBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_User_V1_LogoutRequest()
    message.refreshToken = body.refreshToken
    _ = try await upstream.once { try await $0.logout(message, options: $1) }
    return JSONIO.noContent()
  }

  @Sendable func profile(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_User_V1_GetUserRequest()
    message.userID = try context.requireIdentity().userID
    let user = try await upstream.idempotent { try await $0.getUser(message, options: $1) }
    return try JSONIO.response(.ok, UserView(user))
  }

  @Sendable func updateProfile(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(UpdateProfileBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_User_V1_UpdateUserRequest()
    message.userID = try context.requireIdentity().userID
    if let name = body.name { message.name = name }
    if let phone = body.phone { message.phone = phone }
    let user = try await upstream.once { try await $0.updateUser(message, options: $1) }
    return try JSONIO.response(.ok, UserView(user))
  }

  @Sendable func addAddress(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(AddressBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_User_V1_AddAddressRequest()
    message.userID = try context.requireIdentity().userID
    message.line1 = body.line1
    if let line2 = body.line2 { message.line2 = line2 }
    message.city = body.city
    message.postalCode = body.postalCode
    message.country = body.country
    message.isDefault = body.isDefault ?? false
    let address = try await upstream.once { try await $0.addAddress(message, options: $1) }
    return try JSONIO.response(.created, AddressView(address))
  }

  @Sendable func listAddresses(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_User_V1_ListAddressesRequest()
    message.userID = try context.requireIdentity().userID
    let list = try await upstream.idempotent { try await $0.listAddresses(message, options: $1) }
    return try JSONIO.response(.ok, ListView(items: list.items.map(AddressView.init), nextCursor: nil))
  }

  @Sendable func deleteAddress(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_User_V1_DeleteAddressRequest()
    message.userID = try context.requireIdentity().userID
    message.addressID = context.parameters.get("id") ?? ""
    _ = try await upstream.once { try await $0.deleteAddress(message, options: $1) }
    return JSONIO.noContent()
  }
}
