import Foundation

/// The order's life after payment (DESIGN.md §5), without I/O: who may move an order, from
/// which status, to which. The store applies the answer as one update conditional on the
/// status this decision was made from, so that of two requests racing, one wins.
///
/// | from      | action                | by            | to                           |
/// |-----------|-----------------------|---------------|------------------------------|
/// | paid      | ship                  | admin         | shipped                      |
/// | shipped   | deliver               | admin         | delivered                    |
/// | delivered | complete              | owner         | completed                    |
/// | delivered | auto-complete         | the service   | completed                    |
/// | pending   | cancel                | owner, admin  | cancelled (`user_cancelled`) |
/// | paid      | cancel                | owner, admin  | cancelled (`user_cancelled`) |
///
/// Cancelling a paid order refunds it and gives its stock back (the checkout saga's
/// compensation); a pending order's saga is asked to cancel, and compensates instead of
/// going on (``CheckoutSaga/cancel()``).
public enum OrderLifecycle {
  public enum Action: Sendable, Equatable {
    case ship(carrier: String, trackingNumber: String)
    case deliver
    case complete
    case autoComplete
    case cancel

    var name: String {
      switch self {
      case .ship: "ship"
      case .deliver: "deliver"
      case .complete, .autoComplete: "complete"
      case .cancel: "cancel"
      }
    }
  }

  /// Who asks.
  public enum Actor: Sendable, Equatable {
    case owner
    case admin
    /// The order service itself (auto-completion).
    case service
  }

  public enum Refusal: Error, Sendable, Equatable {
    /// The actor may not do this to any order.
    case forbidden
    /// The order's status does not allow it.
    case invalidTransition(from: OrderStatus, action: String)
  }

  /// The status the action moves an order from `status` to, or why it may not. An order
  /// whose cancel was asked for (`cancelRequested`) can only be cancelled.
  public static func next(
    from status: OrderStatus, _ action: Action, by actor: Actor, cancelRequested: Bool = false
  ) throws(Refusal) -> OrderStatus {
    let allowed: Bool
    switch action {
    case .ship, .deliver: allowed = actor == .admin
    case .complete: allowed = actor == .owner
    case .autoComplete: allowed = actor == .service
    case .cancel: allowed = actor == .owner || actor == .admin
    }
    guard allowed else { throw .forbidden }
    if cancelRequested, action != .cancel { throw .invalidTransition(from: status, action: action.name) }
    switch (status, action) {
    case (.paid, .ship): return .shipped
    case (.shipped, .deliver): return .delivered
    case (.delivered, .complete), (.delivered, .autoComplete): return .completed
    case (.pending, .cancel), (.paid, .cancel): return .cancelled
    default: throw .invalidTransition(from: status, action: action.name)
    }
  }

  /// Whether a delivered order completes by itself at `now`.
  public static func isDueForCompletion(deliveredAt: Date, now: Date, after: Duration) -> Bool {
    now.timeIntervalSince(deliveredAt) >= after / .seconds(1)
  }
}
