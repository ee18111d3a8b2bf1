import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import SMTPProtocol
import ShopTestSupport
import Testing

@testable import NotificationService

/// Pushes to a push service on loopback.
@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"), .timeLimit(.minutes(1)))
struct PushSenderTests {
  static let logger = Logger(label: "test.notifications.push")

  static func sender(_ subscriptions: PostgresPushSubscriptionStore) async throws -> (PushSender, VAPIDAuthorization) {
    let vapid = try VAPIDAuthorization(key: P256.Signing.PrivateKey(), subject: "mailto:ops@swiftshop.test")
    let composer = try await NotificationComposer.bundled(
      sender: MailAddress(try SMTPMailbox("no-reply@swiftshop.test")))
    let http = OutboundHTTP(
      outbound: OutboundGuard(policy: OutboundAddressPolicy(allowsLoopback: true)), timeout: .seconds(5))
    return (
      PushSender(composer: composer, subscriptions: subscriptions, vapid: vapid, http: http, logger: logger), vapid
    )
  }

  static func subscribe(_ store: PostgresPushSubscriptionStore, user: UUID, port: Int, path: String = "in")
    async throws -> PushSubscription
  {
    try await store.subscribe(
      user: user, endpoint: URL(string: "http://127.0.0.1:\(port)/\(path)")!,
      p256dh: P256.KeyAgreement.PrivateKey().publicKey.x963Representation, auth: Data(repeating: 9, count: 16))
  }

  static func shipped(to user: UUID, reached: Set<UUID> = []) -> DueNotification {
    DueNotification(
      id: UUID(), userID: user, channel: .push, template: .orderShipped, orderID: UUID(),
      values: ["order_id": "o-1", "carrier": "DHL", "tracking_number": "T1"], attempts: 0, deliveredTo: reached)
  }

  @Test func anAcceptedPushIsEncryptedAndSignedForItsPushService() async throws {
    let receiver = ScriptedReceiver(statuses: [.created])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresPushSubscriptionStore(client: client, logger: Self.logger)
      let (sender, vapid) = try await Self.sender(store)
      try await Application(router: receiver.router).test(.live) { live in
        let user = UUID()
        let subscription = try await Self.subscribe(store, user: user, port: try #require(live.port))
        let report = await sender.deliver(Self.shipped(to: user))
        #expect(report.outcome == .delivered && report.reached == [subscription.id])
        let request = try #require(receiver.received.first)
        #expect(request.header("content-encoding") == "aes128gcm")
        #expect(request.header("ttl") == "86400" && request.header("urgency") == "high")
        let authorization = try #require(request.header("authorization"))
        #expect(authorization.hasPrefix("vapid t=") && authorization.hasSuffix(", k=\(vapid.publicKey)"))
        // The RFC 8291 header (86 bytes) before one record of at least the tag.
        #expect(request.body.count > 86 + 16 && request.body[16..<20] == Data([0, 0, 0x10, 0]))
      }
    }
  }

  @Test func aGoneSubscriptionIsRemoved() async throws {
    let receiver = ScriptedReceiver(statuses: [.gone])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresPushSubscriptionStore(client: client, logger: Self.logger)
      let (sender, _) = try await Self.sender(store)
      try await Application(router: receiver.router).test(.live) { live in
        let user = UUID()
        _ = try await Self.subscribe(store, user: user, port: try #require(live.port))
        let report = await sender.deliver(Self.shipped(to: user))
        #expect(report.outcome == .skipped("no push subscription left"))
        #expect(try await store.subscriptions(of: user).isEmpty)
      }
    }
  }

  @Test func aBusyPushServiceIsTriedAgainAfterTheWaitItNamesAndOnlyWhereItFailed() async throws {
    let busy = ScriptedReceiver([(.tooManyRequests, [HTTPField.Name("Retry-After")!: "30"]), (.created, [:])])
    let fine = ScriptedReceiver(statuses: [.created])
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresPushSubscriptionStore(client: client, logger: Self.logger)
      let (sender, _) = try await Self.sender(store)
      try await Application(router: busy.router).test(.live) { busyLive in
        try await Application(router: fine.router).test(.live) { fineLive in
          let user = UUID()
          let first = try await Self.subscribe(store, user: user, port: try #require(fineLive.port))
          _ = try await Self.subscribe(store, user: user, port: try #require(busyLive.port))
          let report = await sender.deliver(Self.shipped(to: user))
          #expect(
            report.outcome == .refused("the push service answered 429", permanent: false, retryAfter: .seconds(30)))
          #expect(report.reached == [first.id])
          let again = await sender.deliver(Self.shipped(to: user, reached: report.reached))
          #expect(again.outcome == .delivered)
          #expect(fine.received.count == 1 && busy.received.count == 2)
        }
      }
    }
  }

  @Test func aUserWithoutSubscriptionsIsSkipped() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresPushSubscriptionStore(client: client, logger: Self.logger)
      let (sender, _) = try await Self.sender(store)
      #expect(await sender.deliver(Self.shipped(to: UUID())).outcome == .skipped("no push subscription"))
    }
  }
}
