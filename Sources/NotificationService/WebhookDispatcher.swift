import Foundation
import Logging
import Metrics
import ShopMessaging
import ShopWebhooks

/// Delivers due webhooks: each claimed delivery (leased, so that two instances never send
/// one at once) is POSTed with the Standard Webhooks headers (the same `webhook-id` on every
/// attempt, signed anew with a fresh timestamp), through the address guard. A 2xx is
/// delivered; a 410 fails it and disables the endpoint; anything else is retried on the
/// schedule, and the endpoint is disabled after a run of failures.
public struct WebhookDispatcher: Sendable {
  let store: PostgresWebhookStore
  let http: OutboundHTTP
  let schedule: RetrySchedule
  let disableAfterFailures: Int
  let lease: Duration
  let logger: Logger

  public init(
    store: PostgresWebhookStore, http: OutboundHTTP, schedule: RetrySchedule, disableAfterFailures: Int,
    lease: Duration = .seconds(120), logger: Logger
  ) {
    self.store = store
    self.http = http
    self.schedule = schedule
    self.disableAfterFailures = disableAfterFailures
    self.lease = lease
    self.logger = logger
  }

  public func loop(wakeup: Wakeup, pollInterval: Duration, concurrency: Int) -> DeliveryLoop<
    PostgresWebhookStore.DueDelivery
  > {
    DeliveryLoop(
      name: "webhooks", wakeup: wakeup, pollInterval: pollInterval, concurrency: concurrency, logger: logger,
      claim: { [store, lease] in try await store.claimDue(limit: $0, lease: lease) },
      attempt: { await self.attempt($0) })
  }

  func attempt(_ delivery: PostgresWebhookStore.DueDelivery) async {
    var status: Int?
    let outcome: DeliveryOutcome
    if let secret = WebhookSecret(delivery.secret) {
      let body = Data(delivery.body.utf8)
      let signed = WebhookSignature(secret: secret).headers(id: delivery.webhookID, timestamp: Date(), body: body)
      do {
        let response = try await http.post(
          delivery.url, headers: [("content-type", "application/json")] + signed.fields, body: body)
        status = response.status
        outcome = Self.outcome(status: response.status)
      } catch {
        outcome = .refused(error.description, permanent: false)
      }
    } else {
      outcome = .refused("the endpoint's secret is unreadable", permanent: true)
    }
    let decision = schedule.decide(attempt: delivery.attempts + 1, outcome: outcome)
    let disable = WebhookEndpoint.disabling(
      afterStatus: status, succeeded: decision == .sent, failuresBefore: delivery.failuresInARow,
      limit: disableAfterFailures)
    do {
      try await store.finish(delivery, decision, statusCode: status, error: outcome.reason, disable: disable)
    } catch {
      logger.warning(
        "a webhook attempt could not be recorded",
        metadata: ["webhook.id": "\(delivery.webhookID)", "error.message": "\(error)"])
      return
    }
    Counter(label: "notifications_delivered_total", dimensions: [("channel", "webhook"), ("outcome", decision.label)])
      .increment()
    if let disable {
      logger.warning(
        "webhook endpoint disabled", metadata: ["webhook.endpoint": "\(delivery.endpointID)", "reason": "\(disable)"])
    }
  }

  /// 2xx delivered, 410 final, anything else worth another try.
  static func outcome(status: Int) -> DeliveryOutcome {
    switch status {
    case 200..<300: .delivered
    case 410: .refused("the endpoint answered 410 Gone", permanent: true)
    default: .refused("the endpoint answered \(status)", permanent: false)
    }
  }
}
