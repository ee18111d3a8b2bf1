import GRPCCore
import Hummingbird
import ShopContracts
import ShopRPC

/// `GET /api/v1/me/overview` (API.md, Aggregation): the caller's profile, cart, newest orders
/// and unread notifications, fetched in parallel, each part within its own deadline. A part
/// whose service fails or is too slow is `null` and its service is named in `degraded`; the
/// answer is `200` all the same.
struct OverviewRoutes<Transport: ClientTransport>: Sendable {
  let users: Upstream<Shop_User_V1_UserService.Client<Transport>>
  let orders: Upstream<Shop_Order_V1_OrderService.Client<Transport>>
  let notifications: Upstream<Shop_Notification_V1_NotificationService.Client<Transport>>
  let partDeadline: Duration

  static var recentOrders: Int32 { 5 }

  func add(to api: RouterGroup<GatewayRequestContext>, auth: BearerAuthMiddleware) {
    api.group("me").add(middleware: auth).get("overview", use: overview)
  }

  @Sendable func overview(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var profileRequest = Shop_User_V1_GetUserRequest()
    profileRequest.userID = try context.requireIdentity().userID
    var newestRequest = Shop_Order_V1_ListOrdersRequest()
    newestRequest.limit = Self.recentOrders
    let (profile, newest) = (profileRequest, newestRequest)
    let deadline = partDeadline
    async let user = Self.part(within: deadline) {
      try await users.idempotent { try await $0.getUser(profile, options: $1) }
    }
    async let cart = Self.part(within: deadline) {
      try await orders.idempotent { try await $0.getCart(.init(), options: $1) }
    }
    async let recent = Self.part(within: deadline) {
      try await orders.idempotent { try await $0.listOrders(newest, options: $1) }
    }
    async let unread = Self.part(within: deadline) {
      try await notifications.idempotent { try await $0.countUnread(.init(), options: $1) }
    }
    let view = OverviewView(
      user: await user.map(UserView.init), cart: await cart.map(CartView.init),
      recentOrders: await recent.map { $0.items.map { OrderView($0) } }, unreadNotifications: await unread?.count)
    return try JSONIO.response(.ok, view)
  }

  /// The part's answer, or nil when its call fails or takes longer than `deadline` (the call
  /// is then cancelled).
  static func part<T: Sendable>(within deadline: Duration, _ call: @escaping @Sendable () async throws -> T) async -> T?
  {
    await withTaskGroup(of: T?.self) { group in
      group.addTask { try? await call() }
      group.addTask {
        try? await Task.sleep(for: deadline)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
  }
}

/// The overview's body: every part present as a key, `null` when it could not be had.
struct OverviewView: Encodable {
  var user: UserView?
  var cart: CartView?
  var recentOrders: [OrderView]?
  var unreadNotifications: Int64?

  /// The services whose parts are missing, in a stable order.
  var degraded: [String] {
    (user == nil ? ["user"] : []) + (cart == nil || recentOrders == nil ? ["order"] : [])
      + (unreadNotifications == nil ? ["notification"] : [])
  }

  enum CodingKeys: String, CodingKey {
    case user, cart, recentOrders, unreadNotifications, degraded
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(user, forKey: .user)
    try c.encode(cart, forKey: .cart)
    try c.encode(recentOrders, forKey: .recentOrders)
    try c.encode(unreadNotifications, forKey: .unreadNotifications)
    try c.encode(degraded, forKey: .degraded)
  }
}
