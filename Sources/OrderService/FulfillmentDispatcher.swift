import Foundation
import FulfillmentQueue
import Logging
import Metrics
import ServiceLifecycle
import ShopContracts
import ShopServiceHost

/// Moves fulfillment jobs from the order service's job outbox to the Redis Stream: a paid
/// order's job is appended (and appended again each `reenqueueAfter` until the order is
/// packed or shipped, which the stream's marker makes a no-op unless Redis lost the job); a
/// cancelled order's job is taken off. With Redis down the jobs wait in PostgreSQL and go out
/// once it is back.
struct FulfillmentDispatcher<Store: OrderStore>: Service {
  let store: Store
  let queue: FulfillmentQueue
  let interval: Duration
  let reenqueueAfter: Duration
  let logger: Logger
  let batch = 100
  let dispatched = Counter(label: "fulfillment_jobs_dispatched_total", dimensions: [("action", "pack")])
  let dropped = Counter(label: "fulfillment_jobs_dispatched_total", dimensions: [("action", "drop")])

  func run() async throws {
    await repeatUntilShutdown(every: interval, logger: logger, failure: "fulfillment jobs not dispatched") {
      // A full batch means more are due: the next one goes at once.
      while try await dispatchDue() == batch, !Task.isShuttingDownGracefully {}
    }
  }

  /// Dispatches the jobs due now: how many were taken.
  func dispatchDue(now: Date = Date()) async throws -> Int {
    let jobs = try await store.claimFulfillmentJobs(
      now: now, nextDueAt: now.addingTimeInterval(reenqueueAfter / .seconds(1)), limit: batch)
    var drops: [UUID] = []
    var failed: [UUID] = []
    var lastError: (any Error)?
    for job in jobs {
      do {
        switch job.action {
        case .pack:
          try await queue.enqueue(Self.job(for: job.document))
          dispatched.increment()
        case .drop:
          try await queue.drop(orderID: job.orderID)
          drops.append(job.orderID)
          dropped.increment()
        }
      } catch {
        failed.append(job.orderID)
        lastError = error
      }
    }
    try await store.finishFulfillmentDrops(drops)
    if let lastError {
      // Tried again soon, not after a whole reenqueueAfter.
      try await store.postponeFulfillmentJobs(failed, until: now.addingTimeInterval(1))
      throw lastError
    }
    return jobs.count
  }

  static func job(for order: OrderDocument) -> FulfillmentJob {
    FulfillmentJob(
      orderID: order.id,
      lines: order.items.map { .init(productID: $0.productID, name: $0.name, quantity: $0.quantity) },
      country: order.shippingAddress.country)
  }
}
