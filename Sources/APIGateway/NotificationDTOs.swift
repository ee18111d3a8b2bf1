import ShopContracts

/// Request bodies of the notification routes; only these fields are read.
struct MarkReadBody: Decodable {
  @Omissible var ids: [String]?
}

struct ChannelChoiceBody: Codable {
  var email: Bool
  var push: Bool
}

/// `GET` and `PUT /users/me/notification-preferences`, the same shape both ways.
struct PreferencesBody: Codable {
  var orderUpdates: ChannelChoiceBody
  var backInStock: ChannelChoiceBody

  init(_ preferences: Shop_Notification_V1_Preferences) {
    orderUpdates = .init(email: preferences.orderUpdates.email, push: preferences.orderUpdates.push)
    backInStock = .init(email: preferences.backInStock.email, push: preferences.backInStock.push)
  }

  var message: Shop_Notification_V1_Preferences {
    var message = Shop_Notification_V1_Preferences()
    message.orderUpdates.email = orderUpdates.email
    message.orderUpdates.push = orderUpdates.push
    message.backInStock.email = backInStock.email
    message.backInStock.push = backInStock.push
    return message
  }
}

struct PushSubscriptionBody: Decodable {
  struct Keys: Decodable {
    var p256dh: String
    var auth: String
  }

  var endpoint: String
  var keys: Keys
}

struct WebhookBody: Decodable {
  var url: String
  var events: [String]
}

/// Response bodies, written with snake_case keys.
struct NotificationView: Encodable {
  var id: String
  var channel: String
  var template: String
  var status: String
  var read: Bool
  var createdAt: String

  init(_ n: Shop_Notification_V1_Notification) {
    id = n.id
    channel = n.channel
    template = n.template
    status = n.status
    read = n.read
    createdAt = n.createdAt
  }
}

struct VapidKeyView: Encodable {
  var publicKey: String
}

struct PushSubscriptionView: Encodable {
  var id: String
  var endpoint: String
  var createdAt: String

  init(_ s: Shop_Notification_V1_PushSubscription) {
    id = s.id
    endpoint = s.endpoint
    createdAt = s.createdAt
  }
}

/// An endpoint; `secret` only in the answer that created it.
struct WebhookView: Encodable {
  var id: String
  var url: String
  var events: [String]
  var secret: String?
  var enabled: Bool
  var disabledReason: String?
  var createdAt: String

  init(_ w: Shop_Notification_V1_Webhook) {
    id = w.id
    url = w.url
    events = w.events
    secret = w.secret.isEmpty ? nil : w.secret
    enabled = w.enabled
    disabledReason = w.disabledReason.isEmpty ? nil : w.disabledReason
    createdAt = w.createdAt
  }

  enum CodingKeys: String, CodingKey {
    case id, url, events, secret, enabled, disabledReason, createdAt
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(url, forKey: .url)
    try c.encode(events, forKey: .events)
    try c.encodeIfPresent(secret, forKey: .secret)
    try c.encode(enabled, forKey: .enabled)
    try c.encode(disabledReason, forKey: .disabledReason)
    try c.encode(createdAt, forKey: .createdAt)
  }
}

struct WebhookDeliveryView: Encodable {
  var id: String
  var eventType: String
  var eventId: String
  var status: String
  var attempts: Int32
  var lastStatusCode: Int32?
  var lastError: String?
  var createdAt: String
  var deliveredAt: String?

  init(_ d: Shop_Notification_V1_WebhookDelivery) {
    id = d.id
    eventType = d.eventType
    eventId = d.eventID
    status = d.status
    attempts = d.attempts
    lastStatusCode = d.lastStatusCode == 0 ? nil : d.lastStatusCode
    lastError = d.lastError.isEmpty ? nil : d.lastError
    createdAt = d.createdAt
    deliveredAt = d.deliveredAt.isEmpty ? nil : d.deliveredAt
  }

  enum CodingKeys: String, CodingKey {
    case id, eventType, eventId, status, attempts, lastStatusCode, lastError, createdAt, deliveredAt
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(eventType, forKey: .eventType)
    try c.encode(eventId, forKey: .eventId)
    try c.encode(status, forKey: .status)
    try c.encode(attempts, forKey: .attempts)
    try c.encode(lastStatusCode, forKey: .lastStatusCode)
    try c.encode(lastError, forKey: .lastError)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(deliveredAt, forKey: .deliveredAt)
  }
}
