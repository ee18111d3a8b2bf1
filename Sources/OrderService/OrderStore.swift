import Foundation
import ShopContracts

/// The order service's storage. PostgreSQL is the real one; the protocol keeps the engine
/// replaceable (a document store could hold the orders as placed).
public protocol OrderStore: Sendable {
  /// Writes a new pending order with its saga at the first step, held by `owner` until
  /// `leaseUntil`, the card sealed for the charge, the idempotency key it was placed with,
  /// and `events`, in one transaction.
  func create(
    _ order: OrderDocument, saga: CheckoutSaga, sealedCard: Data, owner: String, leaseUntil: Date,
    idempotencyKey: String, events: [any EventContract]
  ) async throws
  /// The order the user placed with this idempotency key since `since`.
  func order(userID: UUID, idempotencyKey: String, since: Date) async throws -> UUID?

  func order(id: UUID) async throws -> OrderRecord?
  /// Newest first, from after `after`; `next` is set when more follow.
  func orders(userID: UUID?, status: OrderStatus?, after: PageCursor?, limit: Int) async throws
    -> (orders: [OrderRecord], next: PageCursor?)

  /// Orders still pending that were placed before `cutoff`, newest first.
  func stuckOrders(before cutoff: Date, after: PageCursor?, limit: Int) async throws
    -> (orders: [OrderRecord], next: PageCursor?)
  /// How many orders placed before `cutoff` are still pending.
  func stuckCount(before cutoff: Date) async throws -> Int

  /// The saga of an order that `owner` holds.
  func saga(of id: UUID, owner: String) async throws -> SagaRecord?
  /// Writes the saga after a transition, with its events, when `owner` still holds it;
  /// `.lost` when it does not (another instance took it over, and this one must stop).
  /// An ending sets the order's status; a charge with an answer forgets the card.
  func record(
    _ saga: CheckoutSaga, of id: UUID, owner: String, transition: CheckoutSaga.Transition,
    events: [any EventContract], leaseUntil: Date, at: Date
  ) async throws -> SagaWrite
  /// Writes a transition after payment with its events and the order's history, when the
  /// order is still at `change.from`; false when it moved on meanwhile (nothing is written).
  /// A cancel's compensation is written as the saga this instance then runs.
  func transition(_ change: OrderTransition, events: [any EventContract]) async throws -> Bool
  /// Asks the saga of a pending order to cancel it; false when the order is not pending.
  func requestCancel(of id: UUID, at: Date) async throws -> Bool
  /// Paid orders whose cancel was asked for while their saga ran.
  func cancelRequestedPaid(limit: Int) async throws -> [UUID]
  /// Delivered orders delivered at or before `cutoff`, oldest first.
  func delivered(before cutoff: Date, limit: Int) async throws -> [UUID]
  /// Takes over up to `limit` unfinished sagas whose lease ran out (or that no one holds).
  func claimAbandoned(owner: String, leaseUntil: Date, limit: Int, now: Date) async throws -> [UUID]
  /// Gives up every lease `owner` holds, for another instance to take at once.
  func releaseLeases(owner: String) async throws

  /// Marks a paid, queued order packed with its events and drops its job, when it is still
  /// paid and queued; false when it is not (nothing is written).
  func pack(_ id: UUID, packing: OrderFulfillment, at: Date, events: [any EventContract]) async throws -> Bool
  /// Takes up to `limit` fulfillment jobs due at `now` for dispatch, moving each one's next
  /// due time to `nextDueAt` (when a pack job is dispatched again unless it is done by then).
  func claimFulfillmentJobs(now: Date, nextDueAt: Date, limit: Int) async throws -> [FulfillmentDispatch]
  /// Forgets drop jobs whose job was taken off the queue.
  func finishFulfillmentDrops(_ ids: [UUID]) async throws
  /// Moves the next dispatch of these jobs to `until` (their dispatch failed).
  func postponeFulfillmentJobs(_ ids: [UUID], until: Date) async throws

  /// Records a payment webhook once: true when `webhookID` is new. What it says of the
  /// order's payment is kept for the saga.
  func recordWebhook(id webhookID: String, payment: ProviderPayment) async throws -> Bool
}

/// What writing a saga's transition came to.
public enum SagaWrite: Sendable, Equatable {
  /// Another instance holds the saga now: nothing was written.
  case lost
  /// Written; `cancelRequested` when a cancel of the order was asked for meanwhile.
  case written(cancelRequested: Bool)
}

/// A running saga as its instance reads it.
public struct SagaRecord: Sendable, Equatable {
  public var document: OrderDocument
  public var saga: CheckoutSaga
  /// The sealed card, until the charge has an answer.
  public var sealedCard: Data?
  /// The payment as the provider's webhook reported it, if one came.
  public var reportedPayment: ProviderPayment?
  /// A cancel of the order was asked for while the saga ran.
  public var cancelRequested: Bool

  public init(
    document: OrderDocument, saga: CheckoutSaga, sealedCard: Data?, reportedPayment: ProviderPayment?,
    cancelRequested: Bool = false
  ) {
    self.document = document
    self.saga = saga
    self.sealedCard = sealedCard
    self.reportedPayment = reportedPayment
    self.cancelRequested = cancelRequested
  }
}

/// A fulfillment job taken from the order service's job outbox, with the order it is about.
public struct FulfillmentDispatch: Sendable, Equatable {
  public enum Action: Sendable, Equatable {
    /// Put the order's job on the queue (again, if Redis lost it).
    case pack
    /// Take the order's job off the queue: the order was cancelled.
    case drop
  }

  public var orderID: UUID
  public var action: Action
  public var document: OrderDocument

  public init(orderID: UUID, action: Action, document: OrderDocument) {
    self.orderID = orderID
    self.action = action
    self.document = document
  }
}
