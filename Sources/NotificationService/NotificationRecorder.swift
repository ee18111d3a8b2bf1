import Foundation
import ShopContracts
import ShopMessaging

/// The notification service's event handler: reads an event, asks ``NotificationPlan`` what
/// it sends, keeps what the recipients' preferences allow, and records it in the event's own
/// transaction, so that the rows and the inbox's record of the event commit together. An
/// order's status event older than one already recorded for that order is recorded
/// `skipped`; events of other types are not this service's and change nothing.
public struct NotificationRecorder: Sendable {
  /// The projection whose versions say which status of each order was recorded last.
  static let orderProjection = "notifications.order-status"

  /// The event types it reads, for the consumer's bindings.
  public static let eventTypes = [
    UserRegistered.type, OrderStatusChanged.type, PaymentFailed.type, ProductBackInStock.type,
  ]

  let store: PostgresNotificationStore

  public init(store: PostgresNotificationStore) {
    self.store = store
  }

  public func handle(_ envelope: EventEnvelope, _ context: EventContext) async throws {
    let event: NotificationEvent
    switch envelope.type {
    case UserRegistered.type: event = .registered(try envelope.decode(UserRegistered.self))
    case OrderStatusChanged.type: event = .statusChanged(try envelope.decode(OrderStatusChanged.self))
    case PaymentFailed.type: event = .paymentFailed(try envelope.decode(PaymentFailed.self))
    case ProductBackInStock.type: event = .backInStock(try envelope.decode(ProductBackInStock.self))
    default: return
    }
    var start = PostgresNotificationStore.Start.pending
    if case .statusChanged = event {
      let newest = try await context.advance(
        projection: Self.orderProjection, aggregateID: envelope.aggregateID, to: envelope.aggregateVersion)
      if !newest { start = .skipped }
    }
    let planned = NotificationPlan.notifications(for: event)
    let users = Set(planned.compactMap { UUID(uuidString: $0.userID) })
    let preferences = try await store.preferences(of: Array(users), in: context.transaction)
    let allowed = NotificationPlan.allowed(
      planned,
      preferences: Dictionary(uniqueKeysWithValues: preferences.map { ($0.key.uuidString.lowercased(), $0.value) }))
    try await store.record(allowed, as: start, event: (envelope.id, envelope.type), in: context.transaction)
  }
}
