import GRPCCore
import Hummingbird
import ShopContracts
import ShopRPC

/// The "Notifications" routes of API.md: what was sent to the caller and its read state,
/// the caller's preferences, push subscriptions and webhook endpoints, all kept by the
/// notification service.
struct NotificationRoutes<Transport: ClientTransport>: Sendable {
  let upstream: Upstream<Shop_Notification_V1_NotificationService.Client<Transport>>
  let maxBodyBytes: Int

  func add(to api: RouterGroup<GatewayRequestContext>, auth: BearerAuthMiddleware) {
    let notifications = api.group("notifications").add(middleware: auth)
    notifications.get(use: list)
    notifications.post("read", use: markRead)
    let preferences = api.group("users/me/notification-preferences").add(middleware: auth)
    preferences.get(use: getPreferences)
    preferences.put(use: setPreferences)
    // The key a browser subscribes with is public.
    api.get("push/vapid-public-key", use: vapidKey)
    let push = api.group("push/subscriptions").add(middleware: auth)
    push.post(use: subscribe)
    push.delete("{id}", use: unsubscribe)
    let webhooks = api.group("webhooks").add(middleware: auth)
    webhooks.post(use: createWebhook)
    webhooks.get(use: listWebhooks)
    webhooks.delete("{id}", use: deleteWebhook)
    webhooks.get("{id}/deliveries", use: deliveries)
  }

  @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let query = request.uri.queryParameters
    var message = Shop_Notification_V1_ListNotificationsRequest()
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let list = try await upstream.idempotent { try await $0.listNotifications(message, options: $1) }
    return try JSONIO.response(
      .ok, ListView(items: list.items.map(NotificationView.init), nextCursor: Self.next(list.nextCursor)))
  }

  @Sendable func markRead(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(MarkReadBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Notification_V1_MarkReadRequest()
    if let ids = body.ids { message.ids = ids } else { message.all = true }
    // Marking read is the same change however often it is sent.
    _ = try await upstream.idempotent { try await $0.markRead(message, options: $1) }
    return JSONIO.noContent()
  }

  @Sendable func getPreferences(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let preferences = try await upstream.idempotent { try await $0.getPreferences(.init(), options: $1) }
    return try JSONIO.response(.ok, PreferencesBody(preferences))
  }

  @Sendable func setPreferences(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(PreferencesBody.self, from: request, maxBytes: maxBodyBytes)
    let message = body.message
    let preferences = try await upstream.idempotent { try await $0.setPreferences(message, options: $1) }
    return try JSONIO.response(.ok, PreferencesBody(preferences))
  }

  @Sendable func vapidKey(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let key = try await upstream.idempotent { try await $0.getVapidPublicKey(.init(), options: $1) }
    return try JSONIO.response(.ok, VapidKeyView(publicKey: key.publicKey))
  }

  @Sendable func subscribe(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(PushSubscriptionBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Notification_V1_CreatePushSubscriptionRequest()
    message.endpoint = body.endpoint
    message.p256Dh = body.keys.p256dh
    message.auth = body.keys.auth
    // Subscribing the same endpoint again keeps one subscription.
    let subscription = try await upstream.idempotent { try await $0.createPushSubscription(message, options: $1) }
    return try JSONIO.response(.created, PushSubscriptionView(subscription))
  }

  @Sendable func unsubscribe(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Notification_V1_IdRequest()
    message.id = context.parameters.get("id") ?? ""
    _ = try await upstream.once { try await $0.deletePushSubscription(message, options: $1) }
    return JSONIO.noContent()
  }

  @Sendable func createWebhook(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let body = try await JSONIO.decode(WebhookBody.self, from: request, maxBytes: maxBodyBytes)
    var message = Shop_Notification_V1_CreateWebhookRequest()
    message.url = body.url
    message.events = body.events
    // Each call makes an endpoint with a secret of its own: never repeated.
    let webhook = try await upstream.once { try await $0.createWebhook(message, options: $1) }
    return try JSONIO.response(.created, WebhookView(webhook))
  }

  @Sendable func listWebhooks(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let query = request.uri.queryParameters
    var message = Shop_Notification_V1_ListRequest()
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let list = try await upstream.idempotent { try await $0.listWebhooks(message, options: $1) }
    return try JSONIO.response(
      .ok, ListView(items: list.items.map(WebhookView.init), nextCursor: Self.next(list.nextCursor)))
  }

  @Sendable func deleteWebhook(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    var message = Shop_Notification_V1_IdRequest()
    message.id = context.parameters.get("id") ?? ""
    _ = try await upstream.once { try await $0.deleteWebhook(message, options: $1) }
    return JSONIO.noContent()
  }

  @Sendable func deliveries(_ request: Request, context: GatewayRequestContext) async throws -> Response {
    let query = request.uri.queryParameters
    var message = Shop_Notification_V1_ListWebhookDeliveriesRequest()
    message.webhookID = context.parameters.get("id") ?? ""
    if let limit = try QueryParameters.limit(query) { message.limit = limit }
    message.cursor = query["cursor"].map(String.init) ?? ""
    let list = try await upstream.idempotent { try await $0.listWebhookDeliveries(message, options: $1) }
    return try JSONIO.response(
      .ok, ListView(items: list.items.map(WebhookDeliveryView.init), nextCursor: Self.next(list.nextCursor)))
  }

  static func next(_ cursor: String) -> String? { cursor.isEmpty ? nil : cursor }
}
