import Foundation
import Logging
import ServiceLifecycle

/// Forgets idempotency keys once they are a day old (the draft's advice), every `interval`,
/// until graceful shutdown. Several instances may purge at once; a key goes once.
public struct IdempotencyKeyPurger: Service {
  let store: PostgresIdempotencyStore
  let interval: Duration
  let logger: Logger

  public init(store: PostgresIdempotencyStore, interval: Duration = .seconds(3600), logger: Logger) {
    self.store = store
    self.interval = interval
    self.logger = logger
  }

  public func run() async throws {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      do {
        let purged = try await store.purge()
        if purged > 0 { logger.info("idempotency keys purged", metadata: ["idempotency.purged": "\(purged)"]) }
      } catch {
        logger.warning("purging idempotency keys failed", metadata: ["error.message": "\(error)"])
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
