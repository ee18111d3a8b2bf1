import Foundation
import Logging
import ServiceLifecycle

/// Releases reservations that outlived their expiry, so that stock held by an abandoned
/// checkout returns to sale. Runs in every instance; `SKIP LOCKED` keeps them from doubling
/// up.
struct ReservationSweeper<Store: ProductStore>: Service {
  let store: Store
  let interval: Duration
  let logger: Logger

  func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        let released = try await sweep()
        if released > 0 {
          logger.info("released expired reservations", metadata: ["reservation.count": "\(released)"])
        }
      } catch {
        logger.warning("reservation sweep failed", metadata: ["error.message": "\(error)"])
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }

  /// Releases every reservation expired by now, in rounds of at most `batchSize` lines;
  /// returns how many orders it released. A round that releases nothing ends the pass.
  func sweep(now: Date = Date(), batchSize: Int = 100) async throws -> Int {
    var total = 0
    while true {
      let released = try await store.releaseExpired(now: now, limit: batchSize)
      guard released > 0 else { return total }
      total += released
    }
  }
}
