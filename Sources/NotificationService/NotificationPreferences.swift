/// A customer's choices of API.md's `notification-preferences`: for each topic, whether email
/// and push are sent. Everything is on until the customer turns it off.
public struct NotificationPreferences: Sendable, Hashable, Codable {
  public enum Topic: Sendable, Hashable {
    case orderUpdates
    case backInStock
  }

  public struct Channels: Sendable, Hashable, Codable {
    public var email: Bool
    public var push: Bool

    public init(email: Bool = true, push: Bool = true) {
      self.email = email
      self.push = push
    }
  }

  public var orderUpdates: Channels
  public var backInStock: Channels

  public init(orderUpdates: Channels = Channels(), backInStock: Channels = Channels()) {
    self.orderUpdates = orderUpdates
    self.backInStock = backInStock
  }

  /// Whether `template` may be sent on `channel`. Webhooks are the endpoint owner's own
  /// subscription and are not governed by these.
  public func allows(_ template: NotificationTemplate, on channel: NotificationChannel) -> Bool {
    guard let topic = template.topic else { return true }
    let channels = topic == .orderUpdates ? orderUpdates : backInStock
    switch channel {
    case .email: return channels.email
    case .push: return channels.push
    case .webhook: return true
    }
  }

  enum CodingKeys: String, CodingKey {
    case orderUpdates = "order_updates"
    case backInStock = "back_in_stock"
  }
}
