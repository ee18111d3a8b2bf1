import Foundation

/// What fulfillment does as an order moves, decided without I/O: a paid order gets a job, a
/// worker's report packs a paid order once, a cancel drops the job, a ship ends it.
public enum FulfillmentRules {
  /// What a worker's report that it packed the order comes to.
  public enum PackDecision: Sendable, Equatable {
    /// The order is paid and not packed: it becomes packed.
    case pack
    /// Packed before (a job delivered twice): nothing changes.
    case alreadyPacked
    /// Cancelled, or shipped without waiting for the packing: the job is skipped.
    case skip
  }

  /// What a transition does to the order's job.
  public enum JobChange: Sendable, Equatable {
    /// The job is taken off the queue, and the order's fulfillment is cancelled.
    case drop
    /// The order left the warehouse's hands (shipped): its job is no longer enqueued again.
    case close
  }

  public static func decidePack(status: OrderStatus, fulfillment: OrderFulfillment?) -> PackDecision {
    if fulfillment?.status == .packed { return .alreadyPacked }
    return status == .paid && fulfillment?.status == .queued ? .pack : .skip
  }

  /// The job change of a transition after payment, if it has one.
  public static func jobChange(from: OrderStatus, to: OrderStatus) -> JobChange? {
    guard from == .paid else { return nil }
    switch to {
    case .cancelled: return .drop
    case .shipped: return .close
    default: return nil
    }
  }
}
