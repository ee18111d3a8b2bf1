import FulfillmentQueue
import Metrics

/// The worker's metrics: jobs by outcome, and the queue as Redis holds it.
struct FulfillmentMetrics: Sendable {
  let packed = Counter(label: "fulfillment_jobs_total", dimensions: [("outcome", "packed")])
  let alreadyPacked = Counter(label: "fulfillment_jobs_total", dimensions: [("outcome", "already_packed")])
  let skipped = Counter(label: "fulfillment_jobs_total", dimensions: [("outcome", "skipped")])
  let failed = Counter(label: "fulfillment_jobs_total", dimensions: [("outcome", "failed")])
  let dead = Counter(label: "fulfillment_jobs_total", dimensions: [("outcome", "dead")])
  let claimed = Counter(label: "fulfillment_jobs_claimed_total")
  let waiting = Gauge(label: "fulfillment_jobs_waiting")
  let pending = Gauge(label: "fulfillment_jobs_pending")
  let oldestPending = Gauge(label: "fulfillment_jobs_oldest_pending_seconds")
  let deadJobs = Gauge(label: "fulfillment_jobs_dead")

  func finished(_ outcome: PackOutcome) {
    switch outcome {
    case .packed: packed.increment()
    case .alreadyPacked: alreadyPacked.increment()
    case .skipped: skipped.increment()
    }
  }

  func record(_ status: FulfillmentQueueStatus) {
    waiting.record(status.length)
    pending.record(status.pending)
    oldestPending.record(status.oldestPendingAge.map { Double($0.components.seconds) } ?? 0)
    deadJobs.record(status.deadCount)
  }
}
