import Foundation
import Logging
import ServiceLifecycle

/// Completes delivered orders `after` their delivery (`orders.autoCompleteAfter`), looking
/// every `interval`. Every instance looks; the completion is conditional on the order still
/// being delivered, so an order two instances find is completed once.
struct AutoCompletion<Store: OrderStore>: Service {
  let transitions: OrderTransitions<Store>
  let after: Duration
  let interval: Duration
  let logger: Logger

  func run() async throws {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      do {
        let completed = try await transitions.completeDelivered(after: after, limit: 100)
        if completed > 0 { logger.info("delivered orders completed", metadata: ["order.count": "\(completed)"]) }
      } catch {
        logger.warning("auto-completion failed", metadata: ["error.message": "\(error)"])
      }
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
