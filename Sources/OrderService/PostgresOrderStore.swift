import Foundation
import FulfillmentQueue
import Logging
import PostgresNIO
import ShopContracts
import ShopMessaging
import ShopPersistence

/// Orders in PostgreSQL: each change one transaction with its events in the outbox.
public struct PostgresOrderStore: OrderStore {
  let client: PostgresClient
  let logger: Logger
  let outbox = Outbox(source: "order-service")

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  public func create(
    _ order: OrderDocument, saga: CheckoutSaga, sealedCard: Data, owner: String, leaseUntil: Date,
    idempotencyKey: String, events: [any EventContract]
  ) async throws {
    let document = try order.encoded()
    let outboxRows = try rows(of: events, of: order.id, version: 1, at: order.createdAt)
    let lines = order.items
    // One statement: one round trip, and a transaction of its own.
    try await client.query(
      """
      WITH placed AS (
        INSERT INTO orders (id, user_id, status, total_amount, currency, document, saga_step, saga_deadline,
          lease_owner, lease_until, idempotency_key, created_at, updated_at)
        VALUES (\(order.id), \(order.userID), \(OrderStatus.pending.rawValue), \(order.total.amount),
          \(order.total.currency), \(document)::jsonb, \(saga.step.rawValue), \(saga.deadline), \(owner),
          \(leaseUntil), \(idempotencyKey), \(order.createdAt), \(order.createdAt))
      ), lines AS (
        INSERT INTO order_lines (order_id, product_id, name, quantity, unit_amount, currency)
        SELECT \(order.id), line.* FROM unnest(\(lines.map(\.productID))::uuid[], \(lines.map(\.name))::text[],
          \(lines.map(\.quantity))::int8[], \(lines.map(\.unitPrice.amount))::int8[],
          \(lines.map(\.unitPrice.currency))::text[]) AS line(product_id, name, quantity, unit_amount, currency)
      ), history AS (
        INSERT INTO order_status_history (order_id, seq, status, at)
        VALUES (\(order.id), 1, \(OrderStatus.pending.rawValue), \(order.createdAt))
      ), credentials AS (
        INSERT INTO saga_credentials (order_id, sealed) VALUES (\(order.id), \(ByteBuffer(bytes: sealedCard)))
      )
      \(outboxRows)
      """, logger: logger)
  }

  public func order(userID: UUID, idempotencyKey: String, since: Date) async throws -> UUID? {
    let rows = try await client.query(
      """
      SELECT id FROM orders
      WHERE user_id = \(userID) AND idempotency_key = \(idempotencyKey) AND created_at >= \(since)
      ORDER BY created_at DESC LIMIT 1
      """, logger: logger)
    for try await id in rows.decode(UUID.self) { return id }
    return nil
  }

  public func order(id: UUID) async throws -> OrderRecord? {
    try await orders(where: "o.id = \(id)").first
  }

  public func orders(userID: UUID?, status: OrderStatus?, after: PageCursor?, limit: Int) async throws
    -> (orders: [OrderRecord], next: PageCursor?)
  {
    try await page(
      """
      (\(userID)::uuid IS NULL OR o.user_id = \(userID)) AND (\(status?.rawValue)::text IS NULL OR o.status = \(status?.rawValue))
      """, after: after, limit: limit)
  }

  public func stuckOrders(before cutoff: Date, after: PageCursor?, limit: Int) async throws
    -> (orders: [OrderRecord], next: PageCursor?)
  {
    try await page(
      "o.status = \(OrderStatus.pending.rawValue) AND o.created_at < \(cutoff)", after: after, limit: limit)
  }

  public func stuckCount(before cutoff: Date) async throws -> Int {
    let rows = try await client.query(
      "SELECT count(*)::int8 FROM orders WHERE status = \(OrderStatus.pending.rawValue) AND created_at < \(cutoff)",
      logger: logger)
    for try await count in rows.decode(Int64.self) { return Int(count) }
    return 0
  }

  /// A page of the orders `condition` selects, newest first, from after `after`; `next` is
  /// set when more follow.
  private func page(_ condition: PostgresQuery, after: PageCursor?, limit: Int) async throws
    -> (orders: [OrderRecord], next: PageCursor?)
  {
    // The condition's binds come first, the cursor's after them.
    var binds = condition.binds
    try binds.append(after?.createdAt)
    try binds.append(after?.id)
    let n = binds.count
    let keyset = "($\(n - 1)::timestamptz IS NULL OR (o.created_at, o.id) < ($\(n - 1), $\(n)))"
    let rows = try await orders(
      where: PostgresQuery(unsafeSQL: "(\(condition.sql)) AND \(keyset)", binds: binds), limit: limit + 1)
    let page = PageCursor.page(rows, limit: limit) { PageCursor(createdAt: $0.document.createdAt, id: $0.id) }
    return (page.rows, page.next)
  }

  /// The orders a condition selects, newest first, with their history.
  private func orders(where condition: PostgresQuery, limit: Int = 1) async throws -> [OrderRecord] {
    // The condition's binds are its own; the text around it has none.
    let query = PostgresQuery(
      unsafeSQL: """
        SELECT o.document::text, o.status, o.cancel_reason, o.payment_status, o.saga_step, o.updated_at, o.version,
          o.created_at, o.payment_id, o.carrier, o.tracking_number, o.shipped_at, o.delivered_at,
          o.cancel_requested_at IS NOT NULL, o.fulfillment_status, o.warehouse, o.packed_at, o.packing_list::text
        FROM orders o WHERE \(condition.sql) ORDER BY o.created_at DESC, o.id DESC LIMIT \(limit)
        """, binds: condition.binds)
    var records: [OrderRecord] = []
    let rows = try await client.query(query, logger: logger)
    for try await row in rows.decode(
      (
        String, String, String?, String, String, Date, Int64, Date, String?, String?, String?, Date?, Date?, Bool,
        String?, String?, Date?, String?
      ).self)
    {
      let (document, status, reason, payment, step, updatedAt, version, createdAt) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7
      )
      let (paymentID, carrier, tracking, shippedAt, deliveredAt) = (row.8, row.9, row.10, row.11, row.12)
      var shipment: OrderRecord.Shipment?
      if let carrier, let tracking, let shippedAt {
        shipment = .init(carrier: carrier, trackingNumber: tracking, shippedAt: shippedAt)
      }
      var decoded = try OrderDocument.decode(document)
      // The row's time is the one cursors compare, at the database's precision.
      decoded.createdAt = createdAt
      records.append(
        OrderRecord(
          document: decoded, status: OrderStatus(rawValue: status) ?? .pending,
          cancelReason: reason.flatMap(CancelReason.init(rawValue:)), paymentStatus: payment,
          sagaStep: SagaStep(rawValue: step) ?? .finished, history: [], updatedAt: updatedAt, version: version,
          paymentID: paymentID, shipment: shipment, deliveredAt: deliveredAt, cancelRequested: row.13,
          fulfillment: try Self.fulfillment(status: row.14, warehouse: row.15, packedAt: row.16, packingList: row.17)))
    }
    guard !records.isEmpty else { return [] }
    let ids = records.map(\.id)
    let history = try await client.query(
      "SELECT order_id, status, at FROM order_status_history WHERE order_id = ANY(\(ids)) ORDER BY order_id, seq",
      logger: logger)
    var changes: [UUID: [OrderRecord.StatusChange]] = [:]
    for try await (id, status, at) in history.decode((UUID, String, Date).self) {
      changes[id, default: []].append(.init(status: OrderStatus(rawValue: status) ?? .pending, at: at))
    }
    return records.map { record in
      var record = record
      record.history = changes[record.id] ?? []
      return record
    }
  }

  public func saga(of id: UUID, owner: String) async throws -> SagaRecord? {
    let rows = try await client.query(
      """
      SELECT o.document::text, o.saga_step, o.saga_attempts, o.saga_reason, o.payment_id, o.saga_deadline,
        o.provider_payment_id, o.provider_status, o.provider_failure, c.sealed, o.saga_after_payment,
        o.cancel_requested_at IS NOT NULL
      FROM orders o LEFT JOIN saga_credentials c ON c.order_id = o.id
      WHERE o.id = \(id) AND o.lease_owner = \(owner)
      """, logger: logger)
    for try await row in rows.decode(
      (String, String, Int, String?, String?, Date, String?, String?, String?, ByteBuffer?, Bool, Bool).self)
    {
      let (document, step, attempts, reason, paymentID, deadline, reportedID, reportedStatus, failure, sealed) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9
      )
      let saga = CheckoutSaga(
        step: SagaStep(rawValue: step) ?? .finished, attempts: attempts,
        cancelReason: reason.flatMap(CancelReason.init(rawValue:)), paymentID: paymentID, afterPayment: row.10,
        deadline: deadline)
      var reported: ProviderPayment?
      if let reportedID, let reportedStatus {
        reported = ProviderPayment(
          id: reportedID, reference: id.lowercased, status: reportedStatus, failureCode: failure)
      }
      return SagaRecord(
        document: try OrderDocument.decode(document), saga: saga,
        sealedCard: sealed.map { Data($0.readableBytesView) }, reportedPayment: reported, cancelRequested: row.11)
    }
    return nil
  }

  public func record(
    _ saga: CheckoutSaga, of id: UUID, owner: String, transition: CheckoutSaga.Transition,
    events: [any EventContract], leaseUntil: Date, at: Date
  ) async throws -> SagaWrite {
    let ending = transition.ending?.status
    let bump: Int64 = events.isEmpty ? 0 : 1
    let dropCard = saga.step != .reserve && saga.step != .charge
    // A paid order is queued for packing, its job in the same transaction.
    let paid = ending?.0 == .paid
    // Their version is the one the update returns.
    let outboxRows = try rows(of: events, of: id, version: 0, at: at)
    // One statement, fenced on the lease: nothing but the update's own check happens when this
    // instance no longer holds the saga.
    let rows = try await client.query(
      """
      WITH moved AS (
        UPDATE orders SET saga_step = \(saga.step.rawValue), saga_attempts = \(saga.attempts),
          saga_reason = \(saga.cancelReason?.rawValue), payment_id = \(saga.paymentID),
          payment_status = coalesce(\(transition.paymentStatus), payment_status),
          status = coalesce(\(ending?.0.rawValue), status),
          cancel_reason = coalesce(\(ending?.1?.rawValue), cancel_reason),
          saga_after_payment = \(saga.afterPayment), lease_until = \(leaseUntil), version = version + \(bump),
          fulfillment_status = CASE WHEN \(paid)::bool THEN 'queued' ELSE fulfillment_status END,
          updated_at = \(at)
        WHERE id = \(id) AND lease_owner = \(owner)
        RETURNING version, cancel_requested_at IS NOT NULL AS cancel_requested
      ), job AS (
        INSERT INTO fulfillment_jobs (order_id, action, due_at)
        SELECT \(id), 'pack', \(at) WHERE \(paid)::bool AND EXISTS (SELECT 1 FROM moved)
        ON CONFLICT (order_id) DO NOTHING
      ), card AS (
        DELETE FROM saga_credentials WHERE order_id = \(id) AND \(dropCard)::bool AND EXISTS (SELECT 1 FROM moved)
      ), history AS (
        INSERT INTO order_status_history (order_id, seq, status, at)
        SELECT \(id), coalesce(max(h.seq), 0) + 1, \(ending?.0.rawValue)::text, \(at) FROM order_status_history h
        WHERE h.order_id = \(id)
        HAVING \(ending?.0.rawValue)::text IS NOT NULL AND EXISTS (SELECT 1 FROM moved)
      ), events AS (
        \(outboxRows, version: "(SELECT version FROM moved)", when: "EXISTS (SELECT 1 FROM moved)")
      )
      SELECT cancel_requested FROM moved
      """, logger: logger)
    for try await cancelRequested in rows.decode(Bool.self) { return .written(cancelRequested: cancelRequested) }
    return .lost
  }

  public func transition(_ change: OrderTransition, events: [any EventContract]) async throws -> Bool {
    let saga = change.compensation?.saga
    let drop = change.jobChange == .drop
    let close = change.jobChange == .close
    // Their version is the one the update returns.
    let outboxRows = try rows(of: events, of: change.id, version: 0, at: change.at)
    // One statement, conditional on the status the decision was made from: of two racing
    // transitions one updates the row and the other finds it moved on, and writes nothing.
    let rows = try await client.query(
      """
      WITH moved AS (
        UPDATE orders SET status = \(change.to.rawValue), cancel_reason = coalesce(\(change.cancelReason?.rawValue), cancel_reason),
          carrier = coalesce(\(change.shipment?.carrier), carrier),
          tracking_number = coalesce(\(change.shipment?.trackingNumber), tracking_number),
          shipped_at = coalesce(\(change.shipment?.shippedAt), shipped_at),
          delivered_at = coalesce(\(change.deliveredAt), delivered_at),
          saga_step = coalesce(\(saga?.step.rawValue), saga_step), saga_attempts = coalesce(\(saga?.attempts), saga_attempts),
          saga_reason = coalesce(\(saga?.cancelReason?.rawValue), saga_reason),
          saga_after_payment = coalesce(\(saga?.afterPayment), saga_after_payment),
          lease_owner = coalesce(\(change.compensation?.owner), lease_owner),
          lease_until = coalesce(\(change.compensation?.leaseUntil), lease_until),
          fulfillment_status = CASE WHEN \(drop)::bool THEN 'cancelled' ELSE fulfillment_status END,
          version = version + 1, updated_at = \(change.at)
        WHERE id = \(change.id) AND status = \(change.from.rawValue)
          AND (NOT \(change.requiresNoCancelRequest) OR cancel_requested_at IS NULL)
        RETURNING version
      ), dropped AS (
        UPDATE fulfillment_jobs SET action = 'drop', due_at = \(change.at)
        WHERE order_id = \(change.id) AND \(drop)::bool AND EXISTS (SELECT 1 FROM moved)
      ), closed AS (
        DELETE FROM fulfillment_jobs WHERE order_id = \(change.id) AND \(close)::bool AND EXISTS (SELECT 1 FROM moved)
      ), history AS (
        INSERT INTO order_status_history (order_id, seq, status, at)
        SELECT \(change.id), coalesce(max(h.seq), 0) + 1, \(change.to.rawValue), \(change.at) FROM order_status_history h
        WHERE h.order_id = \(change.id) HAVING EXISTS (SELECT 1 FROM moved)
      ), events AS (
        \(outboxRows, version: "(SELECT version FROM moved)", when: "EXISTS (SELECT 1 FROM moved)")
      )
      SELECT version FROM moved
      """, logger: logger)
    for try await _ in rows.decode(Int64.self) { return true }
    return false
  }

  public func requestCancel(of id: UUID, at: Date) async throws -> Bool {
    let rows = try await client.query(
      """
      UPDATE orders SET cancel_requested_at = coalesce(cancel_requested_at, \(at))
      WHERE id = \(id) AND status = \(OrderStatus.pending.rawValue) RETURNING 1
      """, logger: logger)
    for try await _ in rows { return true }
    return false
  }

  public func cancelRequestedPaid(limit: Int) async throws -> [UUID] {
    let rows = try await client.query(
      """
      SELECT id FROM orders WHERE cancel_requested_at IS NOT NULL AND status = \(OrderStatus.paid.rawValue)
      ORDER BY cancel_requested_at LIMIT \(limit)
      """, logger: logger)
    var ids: [UUID] = []
    for try await id in rows.decode(UUID.self) { ids.append(id) }
    return ids
  }

  public func delivered(before cutoff: Date, limit: Int) async throws -> [UUID] {
    let rows = try await client.query(
      """
      SELECT id FROM orders WHERE status = \(OrderStatus.delivered.rawValue) AND delivered_at <= \(cutoff)
      ORDER BY delivered_at LIMIT \(limit)
      """, logger: logger)
    var ids: [UUID] = []
    for try await id in rows.decode(UUID.self) { ids.append(id) }
    return ids
  }

  public func claimAbandoned(owner: String, leaseUntil: Date, limit: Int, now: Date) async throws -> [UUID] {
    let rows = try await client.query(
      """
      UPDATE orders SET lease_owner = \(owner), lease_until = \(leaseUntil)
      WHERE id IN (
        SELECT id FROM orders WHERE saga_step <> 'finished' AND (lease_until IS NULL OR lease_until < \(now))
        ORDER BY lease_until NULLS FIRST LIMIT \(limit) FOR UPDATE SKIP LOCKED)
      RETURNING id
      """, logger: logger)
    var ids: [UUID] = []
    for try await id in rows.decode(UUID.self) { ids.append(id) }
    return ids
  }

  public func releaseLeases(owner: String) async throws {
    try await client.query(
      "UPDATE orders SET lease_until = NULL WHERE lease_owner = \(owner) AND saga_step <> 'finished'",
      logger: logger)
  }

  public func recordWebhook(id webhookID: String, payment: ProviderPayment) async throws -> Bool {
    try await client.transaction(logger: logger) { tx in
      let inserted = try await tx.query(
        "INSERT INTO received_webhooks (id) VALUES (\(webhookID)) ON CONFLICT DO NOTHING RETURNING 1", logger: logger)
      var isNew = false
      for try await _ in inserted { isNew = true }
      guard isNew else { return false }
      if let orderID = UUID(uuidString: payment.reference) {
        try await tx.query(
          """
          UPDATE orders SET provider_payment_id = \(payment.id), provider_status = \(payment.status),
            provider_failure = \(payment.failureCode)
          WHERE id = \(orderID) AND saga_step <> 'finished'
          """, logger: logger)
      }
      return true
    }
  }

  public func pack(_ id: UUID, packing: OrderFulfillment, at: Date, events: [any EventContract]) async throws -> Bool {
    let list = try String(decoding: JSONEncoder().encode(packing.packingList), as: UTF8.self)
    let outboxRows = try rows(of: events, of: id, version: 0, at: at)
    // Conditional on the order still being paid and queued: a report that comes after a
    // cancel or a ship, or a second report, writes nothing.
    let rows = try await client.query(
      """
      WITH packed AS (
        UPDATE orders SET fulfillment_status = 'packed', warehouse = \(packing.warehouse), packed_at = \(at),
          packing_list = \(list)::jsonb, version = version + 1, updated_at = \(at)
        WHERE id = \(id) AND status = \(OrderStatus.paid.rawValue) AND fulfillment_status = 'queued'
        RETURNING version
      ), job AS (
        DELETE FROM fulfillment_jobs WHERE order_id = \(id) AND EXISTS (SELECT 1 FROM packed)
      ), events AS (
        \(outboxRows, version: "(SELECT version FROM packed)", when: "EXISTS (SELECT 1 FROM packed)")
      )
      SELECT version FROM packed
      """, logger: logger)
    for try await _ in rows.decode(Int64.self) { return true }
    return false
  }

  public func claimFulfillmentJobs(now: Date, nextDueAt: Date, limit: Int) async throws -> [FulfillmentDispatch] {
    // Claimed by moving them on: the other instance skips them, and a claim whose dispatch
    // never happened comes due again by itself.
    let rows = try await client.query(
      """
      WITH claimed AS (
        UPDATE fulfillment_jobs SET due_at = \(nextDueAt), dispatches = dispatches + 1
        WHERE order_id IN (
          SELECT order_id FROM fulfillment_jobs WHERE due_at <= \(now) ORDER BY due_at LIMIT \(limit)
          FOR UPDATE SKIP LOCKED)
        RETURNING order_id, action
      )
      SELECT c.order_id, c.action, o.document::text FROM claimed c JOIN orders o ON o.id = c.order_id
      """, logger: logger)
    var jobs: [FulfillmentDispatch] = []
    for try await (id, action, document) in rows.decode((UUID, String, String).self) {
      jobs.append(
        FulfillmentDispatch(
          orderID: id, action: action == "drop" ? .drop : .pack, document: try OrderDocument.decode(document)))
    }
    return jobs
  }

  public func finishFulfillmentDrops(_ ids: [UUID]) async throws {
    guard !ids.isEmpty else { return }
    try await client.query(
      "DELETE FROM fulfillment_jobs WHERE order_id = ANY(\(ids)) AND action = 'drop'", logger: logger)
  }

  public func postponeFulfillmentJobs(_ ids: [UUID], until: Date) async throws {
    guard !ids.isEmpty else { return }
    try await client.query(
      "UPDATE fulfillment_jobs SET due_at = \(until) WHERE order_id = ANY(\(ids))", logger: logger)
  }

  /// The fulfillment columns of an order row, nil before payment.
  static func fulfillment(status: String?, warehouse: String?, packedAt: Date?, packingList: String?) throws
    -> OrderFulfillment?
  {
    guard let status, let parsed = OrderFulfillment.Status(rawValue: status) else { return nil }
    let list = try packingList.map { try JSONDecoder().decode([OrderFulfillment.PackedLine].self, from: Data($0.utf8)) }
    return OrderFulfillment(status: parsed, warehouse: warehouse, packedAt: packedAt, packingList: list ?? [])
  }

  /// The events as rows of the outbox, for the statement that makes their change.
  private func rows(of events: [any EventContract], of id: UUID, version: Int64, at: Date) throws -> OutboxInsert {
    var rows = OutboxInsert(outbox)
    for event in events { try append(event, to: &rows) }
    return rows

    func append<Event: EventContract>(_ event: Event, to rows: inout OutboxInsert) throws {
      try rows.append(OutboxEvent(event, aggregateID: id, aggregateVersion: version, occurredAt: at))
    }
  }
}
