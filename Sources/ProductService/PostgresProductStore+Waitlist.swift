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

  public func waitlist(userID: UUID) async throws -> [(UUID, Date)] {
    let rows = try await client.query(
      "SELECT product_id, created_at FROM waitlist WHERE user_id = \(userID) ORDER BY created_at, product_id",
      logger: logger)
    var result: [(UUID, Date)] = []
    for try await row in rows.decode((UUID, Date).self) { result.append(row) }
    return result
  }
}
