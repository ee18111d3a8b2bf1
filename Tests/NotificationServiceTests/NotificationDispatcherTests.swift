import Foundation
import Logging
import PostgresNIO
import ShopMessaging
import ShopTestSupport
import Synchronization
import Testing

@testable import NotificationService

/// A sender that answers each attempt with the next scripted outcome and remembers what it
/// was asked to deliver.
final class ScriptedSender: NotificationSender {
  let channel: NotificationChannel
  private let state: Mutex<(outcomes: [DeliveryOutcome], seen: [UUID])>

  init(_ channel: NotificationChannel = .email, outcomes: [DeliveryOutcome]) {
    self.channel = channel
    state = Mutex((outcomes, []))
  }

  var seen: [UUID] { state.withLock { $0.seen } }

  func deliver(_ notification: DueNotification) async -> DeliveryReport {
    state.withLock { state in
      state.seen.append(notification.id)
      let outcome = state.outcomes.count > 1 ? state.outcomes.removeFirst() : state.outcomes[0]
      return DeliveryReport(outcome)
    }
  }
}

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"), .timeLimit(.minutes(1)))
struct NotificationDispatcherTests {
  static let logger = Logger(label: "test.notifications.dispatcher")
  static let schedule = RetrySchedule(
    initialDelay: .seconds(30), maximumDelay: .seconds(60), multiplier: 2, maximumAttempts: 3)

  static func recordEmail(_ store: PostgresNotificationStore, _ client: PostgresClient) async throws {
    try await client.withTransaction(logger: logger) { connection in
      let planned = PlannedNotification(
        userID: UUID().uuidString.lowercased(), channel: .email, template: .welcome, orderID: nil,
        values: ["name": "Ada"])
      try await store.record([planned], as: .pending, event: (UUID(), "user.registered"), in: connection)
    }
  }

  static func state(_ client: PostgresClient) async throws -> (String, Int, String?, Bool) {
    let rows = try await client.query(
      "SELECT status, attempts, last_error, next_attempt_at > now() FROM notifications", logger: logger)
    for try await row in rows.decode((String, Int, String?, Bool?).self) {
      return (row.0, row.1, row.2, row.3 ?? false)
    }
    Issue.record("no notification")
    return ("", 0, nil, false)
  }

  /// Makes every notification due now, as if its retry time had come.
  static func makeDue(_ client: PostgresClient) async throws {
    try await client.query(
      "UPDATE notifications SET next_attempt_at = now() WHERE status IN ('pending', 'retrying')", logger: logger)
  }

  static func listening(_ client: PostgresClient) async throws -> Bool {
    let rows = try await client.query(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
      logger: logger)
    for try await count in rows.decode(Int.self) { return count > 0 }
    return false
  }

  static func round(_ dispatcher: NotificationDispatcher, _ store: PostgresNotificationStore) async throws {
    for notification in try await store.claimDue(.email, limit: 10, lease: .seconds(60)) {
      await dispatcher.attempt(notification)
    }
  }

  @Test func aRefusalForNowIsRetriedOnTheScheduleUntilItIsSent() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let sender = ScriptedSender(outcomes: [.refused("451 try later", permanent: false), .delivered])
      let dispatcher = NotificationDispatcher(
        store: store, sender: sender, schedule: Self.schedule, logger: Self.logger)
      try await Self.recordEmail(store, client)
      try await Self.round(dispatcher, store)
      let retrying = try await Self.state(client)
      #expect(retrying.0 == "retrying" && retrying.1 == 1 && retrying.2 == "451 try later" && retrying.3)
      // Not due yet: nothing is claimed.
      #expect(try await store.claimDue(.email, limit: 10, lease: .seconds(60)).isEmpty)
      try await Self.makeDue(client)
      try await Self.round(dispatcher, store)
      let sent = try await Self.state(client)
      #expect(sent.0 == "sent" && sent.1 == 2 && sent.2 == nil)
      #expect(sender.seen.count == 2)
    }
  }

  @Test func aPermanentRefusalOrTheLastAttemptFailsIt() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let permanent = NotificationDispatcher(
        store: store, sender: ScriptedSender(outcomes: [.refused("550 no such user", permanent: true)]),
        schedule: Self.schedule, logger: Self.logger)
      try await Self.recordEmail(store, client)
      try await Self.round(permanent, store)
      #expect(try await Self.state(client).0 == "failed")

      try await client.query("DELETE FROM notifications", logger: Self.logger)
      let transient = NotificationDispatcher(
        store: store, sender: ScriptedSender(outcomes: [.refused("connection refused", permanent: false)]),
        schedule: Self.schedule, logger: Self.logger)
      try await Self.recordEmail(store, client)
      for _ in 0..<3 {
        try await Self.round(transient, store)
        try await Self.makeDue(client)
      }
      let state = try await Self.state(client)
      #expect(state.0 == "failed" && state.1 == 3)
    }
  }

  @Test func twoInstancesClaimingAtOnceNeverTakeTheSameNotification() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      for _ in 0..<20 { try await Self.recordEmail(store, client) }
      let claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
        for _ in 0..<4 {
          group.addTask { try await store.claimDue(.email, limit: 8, lease: .seconds(60)).map(\.id) }
        }
        return try await group.reduce(into: [UUID]()) { $0 += $1 }
      }
      #expect(claims.count == 20 && Set(claims).count == 20)
      // Leased: nothing is due until the leases run out.
      #expect(try await store.claimDue(.email, limit: 8, lease: .seconds(60)).isEmpty)
    }
  }

  @Test func aCommitThatRecordsANotificationWakesTheLoopWithoutWaitingForThePoll() async throws {
    try await TestDatabase.with(migrations: try NotificationServiceDeclaration.migrations()) { client, _ in
      let store = PostgresNotificationStore(client: client, logger: Self.logger)
      let sender = ScriptedSender(outcomes: [.delivered])
      let wakeup = Wakeup()
      let loop = NotificationDispatcher(store: store, sender: sender, schedule: Self.schedule, logger: Self.logger)
        .loop(wakeup: wakeup, pollInterval: .seconds(3600), concurrency: 4)
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await loop.run() }
        group.addTask { try await WakeOnCommit(client: client, wakeups: [wakeup], logger: Self.logger).run() }
        try await withDeadline(.seconds(20)) {
          // Once the listener listens, a record must wake the idle loop.
          try await waitUntil { try await Self.listening(client) }
          try await Self.recordEmail(store, client)
          try await waitUntil { sender.seen.count == 1 }
        }
        group.cancelAll()
      }
      #expect(try await Self.state(client).0 == "sent")
    }
  }
}
