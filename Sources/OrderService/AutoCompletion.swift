import Foundation
import Logging
import ServiceLifecycle
import ShopServiceHost

/// Completes delivered orders `after` their delivery (`orders.autoCompleteAfter`), looking
/// every `interval`. Every instance looks; the completion is conditional on the order still
/// being delivered, so an order two instances find is completed once.
struct AutoCompletion<Store: OrderStore>: Service {
  let transitions: OrderTransitions<Store>
  let after: Duration
  let interval: Duration
  let logger: Logger

  func run() async throws {
    await repeatUntilShutdown(every: interval, logger: logger, failure: "auto-completion failed") {
      let completed = try await transitions.completeDelivered(after: after, limit: 100)
      if completed > 0 { logger.info("delivered orders completed", metadata: ["order.count": "\(completed)"]) }
    }
  }
}
