import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// `orders_stuck`: how many orders are still pending `after` they were placed
/// (`checkout.stuckAfter`), counted every `interval`, for an alert to watch.
struct StuckOrdersGauge<Store: OrderStore>: Service {
  let store: Store
  let after: Duration
  let interval: Duration
  let logger: Logger
  let gauge = Gauge(label: "orders_stuck")

  func run() async throws {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      do {
        gauge.record(try await store.stuckCount(before: Date().addingTimeInterval(-(after / .seconds(1)))))
      } catch {
        logger.warning("stuck orders not counted", metadata: ["error.message": "\(error)"])
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
