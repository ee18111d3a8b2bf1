import Foundation

/// How one attempt at a notification went: its outcome, and the push subscriptions it
/// reached (so that a retry does not push to them again).
public struct DeliveryReport: Sendable, Hashable {
  public var outcome: DeliveryOutcome
  public var reached: Set<UUID>

  public init(_ outcome: DeliveryOutcome, reached: Set<UUID> = []) {
    self.outcome = outcome
    self.reached = reached
  }
}

/// Delivers claimed notifications over one channel. It never throws: every failure is an
/// outcome that the retry schedule decides on.
public protocol NotificationSender: Sendable {
  var channel: NotificationChannel { get }
  func deliver(_ notification: DueNotification) async -> DeliveryReport
}
