import Configuration
import Foundation
import SMTPClient
import SMTPProtocol
import ServiceLifecycle
import ShopContracts
import ShopMessaging
import ShopPersistence
import ShopRPC
import ShopServiceHost

/// The notification service as the service host runs it: two consumers through the inbox
/// (the notifications the shop's events ask for, and the webhook deliveries), the
/// dispatchers that send email, pushes and webhooks with retries, and the gRPC API of
/// notifications, preferences, push subscriptions and webhook endpoints.
public struct NotificationServiceDeclaration: ServiceDeclaration {
  public static let name = "notification"
  public static let defaults = ServiceDefaults(grpcPort: 50054, adminPort: 3004, databaseName: "notifications")

  public static func migrations() throws -> [Migration] {
    try bundledMigrations(in: .module, eventSchemaVersion: 2)
  }

  public let configuration: NotificationServiceConfiguration

  public init(config: ConfigReader) throws {
    configuration = try NotificationServiceConfiguration(config: config)
  }

  public func parts(_ resources: ServiceResources) async throws -> ServiceParts {
    let host = resources.configuration
    let logger = resources.logger
    let users = try host.user.connect(name: "user", security: host.security) {
      Shop_User_V1_UserService.Client(wrapping: $0)
    }
    let notifications = PostgresNotificationStore(client: resources.postgres, logger: logger)
    let subscriptions = PostgresPushSubscriptionStore(client: resources.postgres, logger: logger)
    let webhooks = PostgresWebhookStore(client: resources.postgres, logger: logger)
    let composer = try await NotificationComposer.bundled(sender: configuration.sender)
    let vapid = try VAPIDAuthorization(
      key: try VAPIDKeyFile.loadOrCreate(at: configuration.vapidKeyFile), subject: configuration.pushSubject)
    let outbound = OutboundGuard(policy: configuration.outbound)
    let http = OutboundHTTP(outbound: outbound, timeout: configuration.httpTimeout)
    let smtp = SMTPClient(configuration: configuration.smtp, logger: logger)
    let senders: [any NotificationSender] = [
      EmailSender(
        composer: composer, smtp: smtp, recipients: UserServiceRecipients(upstream: users.upstream),
        domain: configuration.sender.mailbox.address.split(separator: "@").last.map(String.init) ?? "localhost"),
      PushSender(composer: composer, subscriptions: subscriptions, vapid: vapid, http: http, logger: logger),
    ]
    let wakeups = (0...senders.count).map { _ in Wakeup() }
    var loops: [any Service] = zip(senders, wakeups).map { sender, wakeup -> any Service in
      NotificationDispatcher(store: notifications, sender: sender, schedule: configuration.retries, logger: logger)
        .loop(wakeup: wakeup, pollInterval: configuration.pollInterval, concurrency: configuration.concurrency)
    }
    loops.append(
      WebhookDispatcher(
        store: webhooks, http: http, schedule: configuration.webhookRetries,
        disableAfterFailures: configuration.disableAfterFailures, logger: logger
      ).loop(
        wakeup: wakeups[senders.count], pollInterval: configuration.pollInterval, concurrency: configuration.concurrency
      ))
    let recorder = NotificationRecorder(store: notifications)
    let webhookRecorder = WebhookRecorder(store: webhooks)
    return ServiceParts(
      rpcServices: [
        NotificationRPCService(
          notifications: notifications, subscriptions: subscriptions, webhooks: webhooks, vapid: vapid,
          outbound: outbound)
      ],
      accessPolicy: NotificationRPCService.accessPolicy,
      consumers: [
        resources.consumer(
          queue: "notification.messages", routingKeys: NotificationRecorder.eventTypes, handler: recorder.handle),
        resources.consumer(
          queue: "notification.webhooks", routingKeys: WebhookEndpoint.eventTypes, handler: webhookRecorder.handle),
      ],
      services: users.connections
        + [
          CloseOnShutdown { await smtp.shutdown() },
          WakeOnCommit(client: resources.postgres, wakeups: wakeups, logger: logger),
        ] + loops)
  }
}
