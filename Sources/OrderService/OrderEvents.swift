import Foundation
import ShopContracts

/// Which events an order's changes raise (DESIGN.md §4): `order.created` and its first
/// `order.status_changed` when it is placed; `payment.succeeded` or `payment.failed` where
/// the saga learns it; `order.status_changed` at every transition.
public enum OrderEvents {
  public static func placed(_ order: OrderDocument) -> [any EventContract] {
    [
      OrderCreated(
        orderID: order.id.lowercased, userID: order.userID.lowercased,
        items: order.items.map {
          .init(
            productID: $0.productID.lowercased, quantity: $0.quantity,
            unitPrice: EventMoney(amount: $0.unitPrice.amount, currency: $0.unitPrice.currency))
        },
        total: EventMoney(amount: order.total.amount, currency: order.total.currency),
        createdAt: order.createdAt.rfc3339),
      OrderStatusChanged(
        orderID: order.id.lowercased, userID: order.userID.lowercased, from: nil, to: OrderStatus.pending.rawValue,
        at: order.createdAt.rfc3339),
    ]
  }

  /// The events of one saga transition of a pending order.
  public static func saga(
    _ order: OrderDocument, transition: CheckoutSaga.Transition, at: Date
  ) -> [any EventContract] {
    var events: [any EventContract] = transition.events.map { event in
      switch event {
      case .paymentSucceeded(let paymentID):
        PaymentSucceeded(
          orderID: order.id.lowercased, userID: order.userID.lowercased, paymentID: paymentID,
          amount: EventMoney(amount: order.total.amount, currency: order.total.currency))
      case .paymentFailed(let paymentID, let code):
        PaymentFailed(orderID: order.id.lowercased, userID: order.userID.lowercased, paymentID: paymentID, reason: code)
      }
    }
    if let ending = transition.ending {
      let (status, reason) = ending.status
      events.append(
        OrderStatusChanged(
          orderID: order.id.lowercased, userID: order.userID.lowercased, from: OrderStatus.pending.rawValue,
          to: status.rawValue, cancelReason: reason?.rawValue, at: at.rfc3339))
    }
    return events
  }
}

extension OrderEvents {
  /// The event of a transition after payment.
  public static func lifecycle(_ order: OrderDocument, _ change: OrderTransition) -> [any EventContract] {
    [
      OrderStatusChanged(
        orderID: order.id.lowercased, userID: order.userID.lowercased, from: change.from.rawValue,
        to: change.to.rawValue, cancelReason: change.cancelReason?.rawValue,
        shipment: change.shipment.map { .init(carrier: $0.carrier, trackingNumber: $0.trackingNumber) },
        at: change.at.rfc3339)
    ]
  }
}

extension CheckoutSaga.Ending {
  /// The order's status and cancel reason at this ending.
  public var status: (OrderStatus, CancelReason?) {
    switch self {
    case .paid: (.paid, nil)
    case .cancelled(let reason): (.cancelled, reason)
    }
  }
}
