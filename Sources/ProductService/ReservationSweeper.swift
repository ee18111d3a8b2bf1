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
        var released = 0
        repeat {
          released = try await store.releaseExpired(now: Date(), limit: 100)
          if released > 0 {
            logger.info("released expired reservations", metadata: ["reservation.count": "\(released)"])
          }
        } while released == 100
      } catch {
        logger.warning("reservation sweep failed", metadata: ["error.message": "\(error)"])
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
