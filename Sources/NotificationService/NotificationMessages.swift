import Foundation
import ShopContracts

extension Shop_Notification_V1_Notification {
  init(_ record: NotificationRecord) {
    self.init()
    id = record.id.uuidString.lowercased()
    channel = record.channel.rawValue
    template = record.template.rawValue
    status = record.status
    read = record.read
    createdAt = record.createdAt.rfc3339
  }
}

extension Shop_Notification_V1_Preferences {
  init(_ preferences: NotificationPreferences) {
    self.init()
    orderUpdates = .init(preferences.orderUpdates)
    backInStock = .init(preferences.backInStock)
  }
}

extension Shop_Notification_V1_ChannelChoice {
  init(_ channels: NotificationPreferences.Channels) {
    self.init()
    email = channels.email
    push = channels.push
  }
}

extension Shop_Notification_V1_PushSubscription {
  init(_ subscription: PushSubscription) {
    self.init()
    id = subscription.id.uuidString.lowercased()
    endpoint = subscription.endpoint.absoluteString
    createdAt = subscription.createdAt.rfc3339
  }
}

extension Shop_Notification_V1_Webhook {
  init(_ endpoint: WebhookEndpoint) {
    self.init()
    id = endpoint.id.uuidString.lowercased()
    url = endpoint.url.absoluteString
    events = endpoint.events
    enabled = endpoint.enabled
    disabledReason = endpoint.disabledReason ?? ""
    createdAt = endpoint.createdAt.rfc3339
  }
}

extension Shop_Notification_V1_WebhookDelivery {
  init(_ delivery: WebhookDelivery) {
    self.init()
    id = delivery.webhookID
    eventType = delivery.eventType
    eventID = delivery.eventID.uuidString.lowercased()
    status = delivery.status
    attempts = Int32(delivery.attempts)
    lastStatusCode = Int32(delivery.lastStatusCode ?? 0)
    lastError = delivery.lastError ?? ""
    createdAt = delivery.createdAt.rfc3339
    deliveredAt = delivery.deliveredAt?.rfc3339 ?? ""
  }
}
