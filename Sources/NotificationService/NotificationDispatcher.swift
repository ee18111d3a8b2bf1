import Foundation
import Logging
import Metrics
import ShopMessaging

/// Delivers the due notifications of one channel: each claimed notification (leased, so
/// that two instances never send one at once) goes to the channel's sender, and the retry
/// schedule's decision on the outcome is recorded.
public struct NotificationDispatcher: Sendable {
  let store: PostgresNotificationStore
  let sender: any NotificationSender
  let schedule: RetrySchedule
  /// Longer than any one attempt may take.
  let lease: Duration
  let logger: Logger

  public init(
    store: PostgresNotificationStore, sender: any NotificationSender, schedule: RetrySchedule,
    lease: Duration = .seconds(120), logger: Logger
  ) {
    self.store = store
    self.sender = sender
    self.schedule = schedule
    self.lease = lease
    self.logger = logger
  }

  public func loop(wakeup: Wakeup, pollInterval: Duration, concurrency: Int) -> DeliveryLoop<DueNotification> {
    DeliveryLoop(
      name: "\(sender.channel.rawValue) notifications", wakeup: wakeup, pollInterval: pollInterval,
      concurrency: concurrency, logger: logger,
      claim: { [store, sender, lease] in try await store.claimDue(sender.channel, limit: $0, lease: lease) },
      attempt: { await self.attempt($0) })
  }

  /// One attempt, recorded. When the record fails, the lease runs out and the notification
  /// is tried again: sent at least once, never lost.
  func attempt(_ notification: DueNotification) async {
    let report = await sender.deliver(notification)
    let decision = schedule.decide(attempt: notification.attempts + 1, outcome: report.outcome)
    do {
      try await store.finish(notification, decision, error: report.outcome.reason, deliveredTo: report.reached)
    } catch {
      logger.warning(
        "a delivery attempt could not be recorded",
        metadata: ["notification.id": "\(notification.id)", "error.message": "\(error)"])
      return
    }
    Counter(
      label: "notifications_delivered_total",
      dimensions: [("channel", sender.channel.rawValue), ("outcome", decision.label)]
    ).increment()
    if case .retrying(let delay) = decision {
      logger.info(
        "notification not delivered; will retry",
        metadata: [
          "notification.id": "\(notification.id)", "notification.channel": "\(sender.channel.rawValue)",
          "retry.delay": "\(delay)", "error.message": "\(report.outcome.reason ?? "")",
        ])
    }
  }
}
