import Logging
import ServiceLifecycle
import ShopMessaging

/// The loop every kind of delivery runs: claim a batch of what is due, attempt each at once,
/// and claim again; when nothing is due, wait for a wake-up (a commit that recorded
/// something, or the poll that finds retries come due).
public struct DeliveryLoop<Item: Sendable>: Service {
  let name: String
  let claim: @Sendable (_ limit: Int) async throws -> [Item]
  let attempt: @Sendable (Item) async -> Void
  let wakeup: Wakeup
  let pollInterval: Duration
  let concurrency: Int
  let logger: Logger

  public init(
    name: String, wakeup: Wakeup, pollInterval: Duration, concurrency: Int, logger: Logger,
    claim: @escaping @Sendable (_ limit: Int) async throws -> [Item], attempt: @escaping @Sendable (Item) async -> Void
  ) {
    self.name = name
    self.claim = claim
    self.attempt = attempt
    self.wakeup = wakeup
    self.pollInterval = pollInterval
    self.concurrency = concurrency
    self.logger = logger
  }

  public func run() async throws {
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        while !Task.isCancelled {
          try? await Task.sleep(for: pollInterval)
          wakeup.signal()
        }
      }
      await cancelWhenGracefulShutdown { await deliverUntilCancelled() }
      group.cancelAll()
    }
  }

  private func deliverUntilCancelled() async {
    while !Task.isCancelled {
      let batch: [Item]
      do {
        batch = try await claim(concurrency)
      } catch {
        logger.warning("due \(name) could not be claimed", metadata: ["error.message": "\(error)"])
        await wakeup.wait()
        continue
      }
      if batch.isEmpty {
        await wakeup.wait()
        continue
      }
      await withTaskGroup(of: Void.self) { group in
        for item in batch {
          group.addTask { await attempt(item) }
        }
      }
    }
  }
}
