import Foundation
import Testing

@testable import OrderService

/// Every status × every action × every actor: the status it moves to, or why not.
@Suite struct OrderLifecycleTests {
  static let actions: [OrderLifecycle.Action] = [
    .ship(carrier: "DHL", trackingNumber: "T1"), .deliver, .complete, .autoComplete, .cancel,
  ]
  static let actors: [OrderLifecycle.Actor] = [.owner, .admin, .service]

  /// Who may ask for the action at all.
  static func mayAsk(_ action: OrderLifecycle.Action, _ actor: OrderLifecycle.Actor) -> Bool {
    switch action {
    case .ship, .deliver: actor == .admin
    case .complete: actor == .owner
    case .autoComplete: actor == .service
    case .cancel: actor != .service
    }
  }

  /// Where the action moves an order from each status, when the status allows it.
  static func target(_ status: OrderStatus, _ action: OrderLifecycle.Action) -> OrderStatus? {
    switch (status, action) {
    case (.paid, .ship): .shipped
    case (.shipped, .deliver): .delivered
    case (.delivered, .complete), (.delivered, .autoComplete): .completed
    case (.pending, .cancel), (.paid, .cancel): .cancelled
    default: nil
    }
  }

  @Test(arguments: OrderStatus.allCases)
  func everyActionOfEveryActor(from status: OrderStatus) {
    for action in Self.actions {
      for actor in Self.actors {
        let result = Result { () throws(OrderLifecycle.Refusal) in
          try OrderLifecycle.next(from: status, action, by: actor)
        }
        switch (Self.mayAsk(action, actor), Self.target(status, action)) {
        case (false, _):
          #expect(result.refusal == .forbidden, "\(actor) \(action) from \(status)")
        case (true, nil):
          #expect(result.refusal == .invalidTransition(from: status, action: action.name), "\(action) from \(status)")
        case (true, let to?):
          #expect(result.status == to, "\(actor) \(action) from \(status)")
        }
      }
    }
  }

  @Test func nothingLeavesAFinalStatus() {
    for status in [OrderStatus.completed, .cancelled] {
      for action in Self.actions {
        for actor in Self.actors {
          #expect(throws: OrderLifecycle.Refusal.self) { try OrderLifecycle.next(from: status, action, by: actor) }
        }
      }
    }
  }

  @Test func anOrderAfterShippingCannotBeCancelled() {
    for status in [OrderStatus.shipped, .delivered] {
      #expect(throws: OrderLifecycle.Refusal.invalidTransition(from: status, action: "cancel")) {
        try OrderLifecycle.next(from: status, .cancel, by: .owner)
      }
    }
  }

  @Test func anOrderWhoseCancelWasAskedForCanOnlyBeCancelled() throws {
    #expect(throws: OrderLifecycle.Refusal.invalidTransition(from: .paid, action: "ship")) {
      try OrderLifecycle.next(
        from: .paid, .ship(carrier: "DHL", trackingNumber: "1"), by: .admin, cancelRequested: true)
    }
    #expect(try OrderLifecycle.next(from: .paid, .cancel, by: .admin, cancelRequested: true) == .cancelled)
  }

  @Test func aDeliveredOrderCompletesByItselfOnceItsTimeHasCome() {
    let delivered = Date(timeIntervalSince1970: 1_800_000_000)
    let after = Duration.seconds(14 * 86_400)
    #expect(!OrderLifecycle.isDueForCompletion(deliveredAt: delivered, now: delivered, after: after))
    #expect(
      !OrderLifecycle.isDueForCompletion(
        deliveredAt: delivered, now: delivered.addingTimeInterval(14 * 86_400 - 1), after: after))
    #expect(
      OrderLifecycle.isDueForCompletion(
        deliveredAt: delivered, now: delivered.addingTimeInterval(14 * 86_400), after: after))
  }
}

extension Result where Success == OrderStatus, Failure == OrderLifecycle.Refusal {
  var refusal: OrderLifecycle.Refusal? { if case .failure(let refusal) = self { refusal } else { nil } }
  var status: OrderStatus? { try? get() }
}
