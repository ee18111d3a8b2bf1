import Foundation
import Logging
import Metrics
import ServiceLifecycle
import ShopServiceHost

/// `orders_stuck`: how many orders are still pending `after` they were placed
/// (`checkout.stuckAfter`), counted every `interval`, for an alert to watch.
struct StuckOrdersGauge<Store: OrderStore>: Service {
  let store: Store
  let after: Duration
  let interval: Duration
  let logger: Logger
  let gauge = Gauge(label: "orders_stuck")

  func run() async throws {
    await repeatUntilShutdown(every: interval, logger: logger, failure: "stuck orders not counted") {
      gauge.record(try await store.stuckCount(before: Date().addingTimeInterval(-(after / .seconds(1)))))
    }
  }
}
