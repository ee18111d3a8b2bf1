import Foundation
import GRPCCore
import ShopContracts
import ShopRPC
import ShopWebhooks

/// The gRPC face of the notification service's stores: translates messages and checks
/// what clients send, nothing more. The user is always the forwarded token's; another
/// user's subscription, endpoint or delivery log is `not_found`.
struct NotificationRPCService: Shop_Notification_V1_NotificationService.SimpleServiceProtocol {
  let notifications: PostgresNotificationStore
  let subscriptions: PostgresPushSubscriptionStore
  let webhooks: PostgresWebhookStore
  let vapid: VAPIDAuthorization
  let outbound: OutboundGuard

  func listNotifications(request: Shop_Notification_V1_ListNotificationsRequest, context: ServerContext)
    async throws -> Shop_Notification_V1_NotificationList
  {
    let page = try Self.page(request.limit, request.cursor)
    let found = try await notifications.list(owner: try RPCCaller.endUser().id, after: page.after, limit: page.limit)
    var list = Shop_Notification_V1_NotificationList()
    list.items = found.records.map(Shop_Notification_V1_Notification.init)
    list.nextCursor = found.next?.encoded ?? ""
    return list
  }

  func markRead(request: Shop_Notification_V1_MarkReadRequest, context: ServerContext) async throws
    -> Shop_Notification_V1_Empty
  {
    let user = try RPCCaller.endUser().id
    if request.all {
      try await notifications.markRead(owner: user, ids: nil)
    } else {
      guard request.ids.count <= 100 else { throw NotificationError.invalid("ids", "must name at most 100") }
      let ids = request.ids.compactMap(UUID.init(uuidString:))
      guard ids.count == request.ids.count else { throw NotificationError.invalid("ids", "must be notification ids") }
      try await notifications.markRead(owner: user, ids: ids)
    }
    return .init()
  }

  func countUnread(request: Shop_Notification_V1_Empty, context: ServerContext) async throws
    -> Shop_Notification_V1_UnreadCount
  {
    var count = Shop_Notification_V1_UnreadCount()
    count.count = Int64(try await notifications.unreadCount(owner: try RPCCaller.endUser().id))
    return count
  }

  func getPreferences(request: Shop_Notification_V1_Empty, context: ServerContext) async throws
    -> Shop_Notification_V1_Preferences
  {
    .init(try await notifications.preferences(of: try RPCCaller.endUser().id))
  }

  func setPreferences(request: Shop_Notification_V1_Preferences, context: ServerContext) async throws
    -> Shop_Notification_V1_Preferences
  {
    guard request.hasOrderUpdates, request.hasBackInStock else {
      throw NotificationError.invalid("order_updates, back_in_stock", "are both required")
    }
    let preferences = NotificationPreferences(
      orderUpdates: .init(email: request.orderUpdates.email, push: request.orderUpdates.push),
      backInStock: .init(email: request.backInStock.email, push: request.backInStock.push))
    try await notifications.setPreferences(preferences, of: try RPCCaller.endUser().id)
    return .init(preferences)
  }

  func getVapidPublicKey(request: Shop_Notification_V1_Empty, context: ServerContext) async throws
    -> Shop_Notification_V1_VapidPublicKey
  {
    var key = Shop_Notification_V1_VapidPublicKey()
    key.publicKey = vapid.publicKey
    return key
  }

  func createPushSubscription(request: Shop_Notification_V1_CreatePushSubscriptionRequest, context: ServerContext)
    async throws -> Shop_Notification_V1_PushSubscription
  {
    let user = try RPCCaller.endUser().id
    let checked = try PushSubscription.validated(endpoint: request.endpoint, p256dh: request.p256Dh, auth: request.auth)
    try await admit(checked.endpoint)
    return .init(
      try await subscriptions.subscribe(
        user: user, endpoint: checked.endpoint, p256dh: checked.p256dh, auth: checked.auth))
  }

  func deletePushSubscription(request: Shop_Notification_V1_IdRequest, context: ServerContext) async throws
    -> Shop_Notification_V1_Empty
  {
    let user = try RPCCaller.endUser().id
    guard let id = UUID(uuidString: request.id), try await subscriptions.unsubscribe(user: user, id: id) else {
      throw NotificationError.notFound("push subscription")
    }
    return .init()
  }

  func createWebhook(request: Shop_Notification_V1_CreateWebhookRequest, context: ServerContext) async throws
    -> Shop_Notification_V1_Webhook
  {
    let user = try RPCCaller.endUser()
    let checked = try WebhookEndpoint.validated(url: request.url, events: request.events)
    try await admit(checked.url)
    let secret = WebhookSecret.generate().encoded
    let endpoint = try await webhooks.create(
      user: user.id, receivesAll: user.isAdmin, url: checked.url, events: checked.events, secret: secret)
    var message = Shop_Notification_V1_Webhook(endpoint)
    message.secret = secret
    return message
  }

  func listWebhooks(request: Shop_Notification_V1_ListRequest, context: ServerContext) async throws
    -> Shop_Notification_V1_WebhookList
  {
    let page = try Self.page(request.limit, request.cursor)
    let found = try await webhooks.endpoints(owner: try RPCCaller.endUser().id, after: page.after, limit: page.limit)
    var list = Shop_Notification_V1_WebhookList()
    list.items = found.endpoints.map(Shop_Notification_V1_Webhook.init)
    list.nextCursor = found.next?.encoded ?? ""
    return list
  }

  func deleteWebhook(request: Shop_Notification_V1_IdRequest, context: ServerContext) async throws
    -> Shop_Notification_V1_Empty
  {
    let user = try RPCCaller.endUser().id
    guard let id = UUID(uuidString: request.id), try await webhooks.delete(owner: user, id: id) else {
      throw NotificationError.notFound("webhook")
    }
    return .init()
  }

  func listWebhookDeliveries(request: Shop_Notification_V1_ListWebhookDeliveriesRequest, context: ServerContext)
    async throws -> Shop_Notification_V1_WebhookDeliveryList
  {
    let user = try RPCCaller.endUser().id
    guard let id = UUID(uuidString: request.webhookID), try await webhooks.endpoint(owner: user, id: id) != nil
    else { throw NotificationError.notFound("webhook") }
    let page = try Self.page(request.limit, request.cursor)
    let found = try await webhooks.deliveries(endpoint: id, after: page.after, limit: page.limit)
    var list = Shop_Notification_V1_WebhookDeliveryList()
    list.items = found.deliveries.map(Shop_Notification_V1_WebhookDelivery.init)
    list.nextCursor = found.next?.encoded ?? ""
    return list
  }

  /// The address guard at registration: `url_not_allowed` for what it refuses.
  private func admit(_ url: URL) async throws {
    do {
      _ = try await outbound.admit(url)
    } catch {
      throw NotificationError.urlNotAllowed(error.description)
    }
  }

  static func page(_ limit: Int32, _ cursor: String) throws -> PageRequest {
    do {
      return try PageRequest(limit: limit, cursor: cursor)
    } catch {
      throw NotificationError.invalid(error.field, error.reason)
    }
  }

}
