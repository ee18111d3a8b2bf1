import Logging
import PostgresNIO
import ServiceLifecycle
import ShopMessaging
import ShopPersistence

/// Wakes every dispatcher when a commit records notifications or webhook deliveries (the
/// `notifications` channel of the migrations' trigger), on this instance and the others.
struct WakeOnCommit: Service {
  let client: PostgresClient
  let wakeups: [Wakeup]
  let logger: Logger

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await client.wakeOnNotifications(on: "notifications", retryInterval: .seconds(1), logger: logger) {
        for wakeup in wakeups { wakeup.signal() }
      }
    }
  }
}
