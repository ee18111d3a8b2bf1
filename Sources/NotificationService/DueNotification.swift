import Foundation

/// A notification claimed for an attempt at delivery: what to send, to whom, and how it went
/// so far.
public struct DueNotification: Sendable, Hashable {
  public var id: UUID
  public var userID: UUID
  public var channel: NotificationChannel
  public var template: NotificationTemplate
  public var orderID: UUID?
  public var values: [String: String]
  /// Attempts before this one.
  public var attempts: Int
  /// The push subscriptions an earlier attempt reached.
  public var deliveredTo: Set<UUID>

  public init(
    id: UUID, userID: UUID, channel: NotificationChannel, template: NotificationTemplate, orderID: UUID?,
    values: [String: String], attempts: Int, deliveredTo: Set<UUID> = []
  ) {
    self.id = id
    self.userID = userID
    self.channel = channel
    self.template = template
    self.orderID = orderID
    self.values = values
    self.attempts = attempts
    self.deliveredTo = deliveredTo
  }
}
