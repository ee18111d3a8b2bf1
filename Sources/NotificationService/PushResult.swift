import Foundation

/// What a push service answered for one subscription (RFC 8030 §5), and what a push to all
/// of a user's subscriptions comes to.
public enum PushResult: Sendable, Hashable {
  /// 201 (or any 2xx): the push service has it.
  case accepted
  /// 404 or 410: the subscription is gone and is removed.
  case gone
  /// 429, 5xx or no answer: try again, after `retryAfter` when the service named one.
  case later(String, retryAfter: Duration?)
  /// Any other refusal (a 400, a 413, an address the guard refuses): sending it again
  /// cannot succeed.
  case refused(String)

  public init(status: Int, retryAfter: Duration?) {
    switch status {
    case 200..<300: self = .accepted
    case 404, 410: self = .gone
    case 429, 500..<600: self = .later("the push service answered \(status)", retryAfter: retryAfter)
    default: self = .refused("the push service answered \(status)")
    }
  }

  /// The notification's outcome from each subscription's result: delivered when nothing is
  /// left to retry and at least one took it; retried while any can still take it; skipped
  /// when every subscription turned out to be gone.
  public static func outcome(_ results: [PushResult]) -> DeliveryOutcome {
    var waits: [Duration] = []
    var reasons: [String] = []
    var accepted = 0
    for result in results {
      switch result {
      case .accepted: accepted += 1
      case .gone: break
      case .later(let reason, let wait):
        reasons.append(reason)
        if let wait { waits.append(wait) }
      case .refused(let reason): reasons.append(reason)
      }
    }
    let retriable = results.contains { if case .later = $0 { true } else { false } }
    if retriable {
      return .refused(reasons.joined(separator: "; "), permanent: false, retryAfter: waits.max())
    }
    if accepted > 0 { return .delivered }
    if reasons.isEmpty { return .skipped("no push subscription left") }
    return .refused(reasons.joined(separator: "; "), permanent: true)
  }
}
