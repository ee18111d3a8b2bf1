import Foundation
import PostgresNIO
import ShopMessaging
import ShopPersistence

extension PostgresProductStore {
  public func adjustStock(productID: UUID, delta: Int64, reason: String) async throws -> StockLevel {
    try await client.transaction(logger: logger) { tx in
      let rows = try await tx.query(
        """
        UPDATE inventory i SET on_hand = i.on_hand + \(delta), version = i.version + 1
        FROM products p
        WHERE i.product_id = \(productID) AND p.id = i.product_id AND i.on_hand + \(delta) >= i.reserved
        RETURNING i.on_hand, i.reserved, i.version, p.sku, p.name, p.low_stock_threshold
        """,
        logger: logger)
      var updated: (Int64, Int64, Int64, String, String, Int64)?
      for try await row in rows.decode((Int64, Int64, Int64, String, String, Int64).self) { updated = row }
      guard let (onHand, reserved, version, sku, name, threshold) = updated else {
        let current = try await tx.query(
          "SELECT on_hand - reserved FROM inventory WHERE product_id = \(productID)", logger: logger)
        for try await available in current.decode(Int64.self) {
          throw ProductError.insufficientStock(available: available)
        }
        throw ProductError.notFound("product")
      }
      try await tx.query(
        "INSERT INTO inventory_adjustments (product_id, delta, reason) VALUES (\(productID), \(delta), \(reason))",
        logger: logger)
      try await recordStockEvents(
        tx,
        StockChange(
          productID: productID, sku: sku, name: name, threshold: threshold, before: onHand - delta - reserved,
          after: onHand - reserved, version: version))
      return StockLevel(onHand: onHand, reserved: reserved)
    }
  }

  public func reserve(orderID: UUID, lines: [(UUID, Int64)], expiresAt: Date) async throws -> (ReservationStatus, Date)
  {
    do {
      return try await client.transaction(logger: logger) { tx in
        // Calls for one order take turns: a retry that arrives while the first call still
        // runs waits for it and then finds its reservation, instead of finding the stock
        // already held and answering out of stock.
        try await tx.query(
          "SELECT pg_advisory_xact_lock(hashtextextended(\(orderID.uuidString.lowercased()), 0))", logger: logger)
        if let existing = try await reservation(tx, orderID: orderID) { return existing }
        // The reservation is written before the stock and the stock rows last, right before
        // the commit: a product every checkout buys is locked for one update and the commit,
        // not for the whole transaction.
        try await tx.query(
          """
          INSERT INTO reservations (order_id, product_id, quantity, status, expires_at)
          SELECT \(orderID), line.product_id, line.quantity, 'held', \(expiresAt)
          FROM unnest(\(lines.map(\.0))::uuid[], \(lines.map(\.1))::int8[]) AS line(product_id, quantity)
          """,
          logger: logger)
        var short: [ProductError.ShortLine] = []
        var changes: [StockChange] = []
        // A fixed order keeps concurrent reservations from deadlocking on each other's rows.
        for (productID, quantity) in lines.sorted(by: { $0.0.uuidString < $1.0.uuidString }) {
          let rows = try await tx.query(
            """
            UPDATE inventory i SET reserved = i.reserved + \(quantity), version = i.version + 1
            FROM products p
            WHERE i.product_id = \(productID) AND p.id = i.product_id AND i.on_hand - i.reserved >= \(quantity)
            RETURNING i.on_hand - i.reserved, i.version, p.sku, p.name, p.low_stock_threshold
            """,
            logger: logger)
          var after: (Int64, Int64, String, String, Int64)?
          for try await row in rows.decode((Int64, Int64, String, String, Int64).self) { after = row }
          if let (available, version, sku, name, threshold) = after {
            changes.append(
              StockChange(
                productID: productID, sku: sku, name: name, threshold: threshold, before: available + quantity,
                after: available, version: version))
          } else {
            short.append(
              .init(productID: productID, requested: quantity, available: try await available(tx, productID) ?? 0))
          }
        }
        guard short.isEmpty else { throw ProductError.outOfStock(short) }
        for change in changes { try await recordStockEvents(tx, change) }
        return (.held, expiresAt)
      }
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
      // The same order reserved concurrently: the other call won; answer as it did.
      if let existing = try await client.transaction(logger: logger, { try await reservation($0, orderID: orderID) }) {
        return existing
      }
      throw error
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
      throw ProductError.notFound("product")
    }
  }

  public func commit(orderID: UUID) async throws -> ReservationStatus {
    try await client.transaction(logger: logger) { tx in
      guard let (status, expiresAt) = try await reservation(tx, orderID: orderID, lock: true) else {
        throw ProductError.notFound("reservation")
      }
      switch status {
      case .committed: return .committed
      case .released, .returned: throw ProductError.invalidTransition("the reservation was released")
      case .held:
        guard expiresAt > Date() else { throw ProductError.reservationExpired }
        // The stock rows last, right before the commit (see reserve).
        try await tx.query("UPDATE reservations SET status = 'committed' WHERE order_id = \(orderID)", logger: logger)
        try await tx.query(
          """
          UPDATE inventory i SET on_hand = i.on_hand - r.quantity, reserved = i.reserved - r.quantity,
            version = i.version + 1
          FROM reservations r WHERE r.order_id = \(orderID) AND r.product_id = i.product_id
          """,
          logger: logger)
        return .committed
      }
    }
  }

  public func release(orderID: UUID) async throws -> ReservationStatus {
    try await client.transaction(logger: logger) { tx in
      guard let (status, _) = try await reservation(tx, orderID: orderID, lock: true) else {
        throw ProductError.notFound("reservation")
      }
      switch status {
      case .released: return .released
      case .committed, .returned:
        throw ProductError.invalidTransition("a committed reservation cannot be released")
      case .held:
        try await releaseHeld(tx, orderID: orderID)
        return .released
      }
    }
  }

  public func restock(orderID: UUID) async throws -> ReservationStatus {
    try await client.transaction(logger: logger) { tx in
      guard let (status, _) = try await reservation(tx, orderID: orderID, lock: true) else {
        throw ProductError.notFound("reservation")
      }
      switch status {
      case .released, .returned: return status
      case .held:
        try await releaseHeld(tx, orderID: orderID)
        return .released
      case .committed:
        try await end(tx, orderID: orderID, from: .committed, to: .returned)
        return .returned
      }
    }
  }

  public func releaseExpired(now: Date, limit: Int) async throws -> Int {
    try await client.transaction(logger: logger) { tx in
      // SKIP LOCKED: several instances sweep without waiting for each other.
      let rows = try await tx.query(
        """
        SELECT DISTINCT order_id FROM (
          SELECT order_id FROM reservations WHERE status = 'held' AND expires_at <= \(now)
          ORDER BY expires_at LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED
        ) expired
        """,
        logger: logger)
      var orders: [UUID] = []
      for try await id in rows.decode(UUID.self) { orders.append(id) }
      for order in orders { try await releaseHeld(tx, orderID: order) }
      return orders.count
    }
  }

  private func releaseHeld(_ tx: PostgresConnection, orderID: UUID) async throws {
    try await end(tx, orderID: orderID, from: .held, to: .released)
  }

  /// Moves the order's reservation from `from` to `to` and gives its stock back: held stock
  /// is no longer reserved, sold stock is back on hand.
  private func end(
    _ tx: PostgresConnection, orderID: UUID, from: ReservationStatus, to: ReservationStatus
  ) async throws {
    // The reservation first and the stock rows last, right before the commit (see reserve).
    let ended = try await tx.query(
      """
      UPDATE reservations SET status = \(to.rawValue) WHERE order_id = \(orderID) AND status = \(from.rawValue)
      RETURNING product_id, quantity
      """, logger: logger)
    var lines: [(UUID, Int64)] = []
    for try await line in ended.decode((UUID, Int64).self) { lines.append(line) }
    try await giveBack(tx, lines, onHand: from == .committed)
  }

  /// Makes `lines` available again: stock that was held (`onHand` false) is no longer
  /// reserved; stock that was sold (`onHand` true) is back on hand. Either way the product is
  /// that much more available, which may bring it back in stock.
  private func giveBack(_ tx: PostgresConnection, _ lines: [(UUID, Int64)], onHand: Bool) async throws {
    guard !lines.isEmpty else { return }
    let unreserved: Int64 = onHand ? 0 : 1
    let returned: Int64 = onHand ? 1 : 0
    let rows = try await tx.query(
      """
      UPDATE inventory i SET reserved = i.reserved - \(unreserved) * line.quantity,
        on_hand = i.on_hand + \(returned) * line.quantity, version = i.version + 1
      FROM unnest(\(lines.map(\.0))::uuid[], \(lines.map(\.1))::int8[]) AS line(product_id, quantity), products p
      WHERE i.product_id = line.product_id AND p.id = i.product_id
      RETURNING i.product_id, i.on_hand - i.reserved, line.quantity, i.version, p.sku, p.name, p.low_stock_threshold
      """,
      logger: logger)
    var changes: [StockChange] = []
    for try await (productID, available, quantity, version, sku, name, threshold) in rows.decode(
      (UUID, Int64, Int64, Int64, String, String, Int64).self)
    {
      changes.append(
        StockChange(
          productID: productID, sku: sku, name: name, threshold: threshold, before: available - quantity,
          after: available, version: version))
    }
    for change in changes { try await recordStockEvents(tx, change) }
  }

  private func reservation(
    _ tx: PostgresConnection, orderID: UUID, lock: Bool = false
  ) async throws -> (ReservationStatus, Date)? {
    let rows = try await tx.query(
      lock
        ? "SELECT status, expires_at FROM reservations WHERE order_id = \(orderID) FOR UPDATE"
        : "SELECT status, expires_at FROM reservations WHERE order_id = \(orderID)",
      logger: logger)
    for try await (status, expires) in rows.decode((String, Date).self) {
      return (ReservationStatus(rawValue: status) ?? .held, expires)
    }
    return nil
  }

  private func available(_ tx: PostgresConnection, _ productID: UUID) async throws -> Int64? {
    let rows = try await tx.query(
      "SELECT on_hand - reserved FROM inventory WHERE product_id = \(productID)", logger: logger)
    for try await value in rows.decode(Int64.self) { return value }
    return nil
  }

  static let outbox = Outbox(source: "product-service")

  /// Writes the events the change makes happen (``StockChange``) into the outbox, reading,
  /// when the product comes back in stock, who waits for it.
  private func recordStockEvents(_ tx: PostgresConnection, _ change: StockChange) async throws {
    if let event = change.lowStock { try await Self.outbox.record(event, in: tx, logger: logger) }
    guard change.isBackInStock else { return }
    let waiting = try await tx.query(
      "SELECT user_id FROM waitlist WHERE product_id = \(change.productID) ORDER BY created_at", logger: logger)
    var users: [UUID] = []
    for try await user in waiting.decode(UUID.self) { users.append(user) }
    if let event = change.backInStock(waitlist: users) { try await Self.outbox.record(event, in: tx, logger: logger) }
  }
}
