import Foundation
import PostgresNIO

extension PostgresProductStore {
  public func joinWaitlist(productID: UUID, userID: UUID) async throws -> (Bool, Date) {
    do {
      let rows = try await client.query(
        """
        WITH inserted AS (
          INSERT INTO waitlist (product_id, user_id) VALUES (\(productID), \(userID))
          ON CONFLICT DO NOTHING RETURNING created_at
        )
        SELECT true, created_at FROM inserted
        UNION ALL SELECT false, created_at FROM waitlist WHERE product_id = \(productID) AND user_id = \(userID)
        """,
        logger: logger)
      for try await row in rows.decode((Bool, Date).self) { return row }
      throw ProductError.notFound("product")
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
      throw ProductError.notFound("product")
    }
  }

  public func leaveWaitlist(productID: UUID, userID: UUID) async throws {
    try await client.query(
      "DELETE FROM waitlist WHERE product_id = \(productID) AND user_id = \(userID)", logger: logger)
  }

  public func waitlist(userID: UUID, after: WaitlistCursor?, limit: Int) async throws
    -> (entries: [(UUID, Date)], next: WaitlistCursor?)
  {
    // Microseconds, so that the cursor's key compares exactly with the column. Without a
    // cursor its values are null and the condition holds for every row.
    let rows = try await client.query(
      """
      SELECT product_id, created_at, (extract(epoch FROM created_at) * 1000000)::int8 FROM waitlist
      WHERE user_id = \(userID)
        AND (\(after?.createdMicros)::int8 IS NULL
          OR (created_at, product_id)
            > (timestamptz 'epoch' + \(after?.createdMicros) * interval '1 microsecond', \(after?.productID)))
      ORDER BY created_at, product_id LIMIT \(limit + 1)
      """,
      logger: logger)
    var entries: [(UUID, Date)] = []
    var last: WaitlistCursor?
    for try await (product, created, micros) in rows.decode((UUID, Date, Int64).self) {
      // One row more than a page means another page follows.
      if entries.count == limit { return (entries, last) }
      entries.append((product, created))
      last = WaitlistCursor(createdMicros: micros, productID: product)
    }
    return (entries, nil)
  }
}
