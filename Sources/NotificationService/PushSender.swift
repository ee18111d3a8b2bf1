import Foundation
import Logging

/// Sends push notifications to each of the user's subscriptions: the template's title and
/// body as JSON, encrypted for the subscription (RFC 8291), with VAPID (RFC 8292), `TTL` and
/// `Urgency`. A subscription the push service says is gone is removed; one that an earlier
/// attempt reached is not pushed to again.
public struct PushSender: NotificationSender {
  public var channel: NotificationChannel { .push }
  let composer: NotificationComposer
  let subscriptions: PostgresPushSubscriptionStore
  let vapid: VAPIDAuthorization
  let http: OutboundHTTP
  /// How long the push service keeps a push for an offline browser.
  let timeToLive: Duration
  let logger: Logger

  public init(
    composer: NotificationComposer, subscriptions: PostgresPushSubscriptionStore, vapid: VAPIDAuthorization,
    http: OutboundHTTP, timeToLive: Duration = .seconds(86_400), logger: Logger
  ) {
    self.composer = composer
    self.subscriptions = subscriptions
    self.vapid = vapid
    self.http = http
    self.timeToLive = timeToLive
    self.logger = logger
  }

  public func deliver(_ notification: DueNotification) async -> DeliveryReport {
    let payload: Data
    do {
      let content = try composer.push(
        notification.template, values: notification.values,
        orderID: notification.orderID?.uuidString.lowercased())
      payload = try JSONEncoder().encode(content)
    } catch {
      return DeliveryReport(.refused("the push could not be made: \(error)", permanent: true))
    }
    let targets: [PushSubscription]
    do {
      targets = try await subscriptions.subscriptions(of: notification.userID).filter {
        !notification.deliveredTo.contains($0.id)
      }
    } catch {
      return DeliveryReport(.refused("the subscriptions could not be read: \(error)", permanent: false))
    }
    guard !targets.isEmpty else {
      return DeliveryReport(notification.deliveredTo.isEmpty ? .skipped("no push subscription") : .delivered)
    }
    var results: [PushResult] = []
    var reached: Set<UUID> = []
    for subscription in targets {
      let result = await push(payload, to: subscription, urgency: Self.urgency(notification.template))
      results.append(result)
      switch result {
      case .accepted: reached.insert(subscription.id)
      case .gone:
        do {
          try await subscriptions.remove(subscription.id)
        } catch {
          logger.warning(
            "a gone push subscription could not be removed",
            metadata: ["push.subscription": "\(subscription.id)", "error.message": "\(error)"])
        }
      case .later, .refused: break
      }
    }
    // An earlier attempt's reach counts: retrying the rest is what is left.
    if !notification.deliveredTo.isEmpty { results.append(.accepted) }
    return DeliveryReport(PushResult.outcome(results), reached: reached)
  }

  func push(_ payload: Data, to subscription: PushSubscription, urgency: String) async -> PushResult {
    let body: Data
    let authorization: String
    do {
      body = try WebPushEncryption.encrypt(payload, p256dh: subscription.p256dh, auth: subscription.auth)
      authorization = try vapid.header(for: subscription.endpoint)
    } catch {
      return .refused("\(error)")
    }
    do {
      let response = try await http.post(
        subscription.endpoint,
        headers: [
          ("content-type", "application/octet-stream"), ("content-encoding", "aes128gcm"),
          ("ttl", "\(timeToLive.components.seconds)"), ("urgency", urgency), ("authorization", authorization),
        ],
        body: body)
      return PushResult(status: response.status, retryAfter: response.retryAfter)
    } catch {
      switch error {
      case .refused: return .refused(error.description)
      case .transport: return .later(error.description, retryAfter: nil)
      }
    }
  }

  /// RFC 8030 §5.3: what the customer is waiting on now is `high`; the rest `normal`.
  static func urgency(_ template: NotificationTemplate) -> String {
    switch template {
    case .orderShipped, .orderDelivered, .orderCancelled: "high"
    default: "normal"
    }
  }
}
