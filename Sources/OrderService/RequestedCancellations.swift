import Foundation
import Logging
import ServiceLifecycle
import ShopServiceHost

/// Cancels the paid orders whose cancel was asked for while their checkout saga ran and came
/// too late to stop it, looking every `interval`. Every instance looks; the cancel is
/// conditional on the order still being paid, so an order two instances find is cancelled
/// (and refunded) once, and one crashed between its payment and its cancel is not forgotten.
struct RequestedCancellations<Store: OrderStore>: Service {
  let transitions: OrderTransitions<Store>
  let interval: Duration
  let logger: Logger

  func run() async throws {
    await repeatUntilShutdown(every: interval, logger: logger, failure: "requested cancellations failed") {
      let cancelled = try await transitions.cancelRequestedPaid(limit: 50)
      if cancelled > 0 { logger.info("paid orders cancelled as asked", metadata: ["order.count": "\(cancelled)"]) }
    }
  }
}
