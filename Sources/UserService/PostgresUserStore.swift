import Foundation
import Logging
import PostgresNIO
import ShopContracts
import ShopMessaging
import ShopPersistence

/// ``UserStore`` on the service's own PostgreSQL database.
public struct PostgresUserStore: UserStore {
  let client: PostgresClient
  let logger: Logger
  let outbox = Outbox(source: "user-service")

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  private typealias UserRow = (UUID, String, String, String?, String, Date)

  private static func user(_ row: UserRow) -> UserRecord {
    UserRecord(
      id: row.0, email: row.1, name: row.2, phone: row.3, role: Role(rawValue: row.4) ?? .customer, createdAt: row.5)
  }

  public func createUser(
    _ user: UserRecord, passwordHash: String, event: OutboxEvent<UserRegistered>
  ) async throws -> UserRecord {
    do {
      return try await client.transaction(logger: logger) { transaction in
        let rows = try await transaction.query(
          """
          INSERT INTO users (id, email, password_hash, name, role, created_at)
          VALUES (\(user.id), \(user.email), \(passwordHash), \(user.name), \(user.role.rawValue), \(user.createdAt))
          RETURNING id, email, name, phone, role, created_at
          """,
          logger: logger
        )
        var created: UserRecord?
        for try await row in rows.decode(UserRow.self) { created = Self.user(row) }
        guard let created else { throw UserError.notFound("user") }
        try await outbox.record(event, in: transaction, logger: logger)
        return created
      }
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
      throw UserError.emailTaken
    }
  }

  public func user(id: UUID) async throws -> UserRecord? {
    let rows = try await client.query(
      "SELECT id, email, name, phone, role, created_at FROM users WHERE id = \(id)",
      logger: logger
    )
    for try await row in rows.decode(UserRow.self) { return Self.user(row) }
    return nil
  }

  public func credentials(email: String) async throws -> (user: UserRecord, passwordHash: String)? {
    let rows = try await client.query(
      "SELECT id, email, name, phone, role, created_at, password_hash FROM users WHERE lower(email) = lower(\(email))",
      logger: logger
    )
    for try await row in rows.decode((UUID, String, String, String?, String, Date, String).self) {
      return (Self.user((row.0, row.1, row.2, row.3, row.4, row.5)), row.6)
    }
    return nil
  }

  public func updateUser(id: UUID, name: String?, phone: String?) async throws -> UserRecord? {
    let rows = try await client.query(
      """
      UPDATE users SET name = COALESCE(\(name), name), phone = COALESCE(\(phone), phone), updated_at = now()
      WHERE id = \(id) RETURNING id, email, name, phone, role, created_at
      """,
      logger: logger
    )
    for try await row in rows.decode(UserRow.self) { return Self.user(row) }
    return nil
  }

  private typealias AddressRow = (UUID, UUID, String, String?, String, String, String, Bool, Date)

  private static func address(_ r: AddressRow) -> AddressRecord {
    AddressRecord(
      id: r.0, userID: r.1, line1: r.2, line2: r.3, city: r.4, postalCode: r.5, country: r.6, isDefault: r.7,
      createdAt: r.8
    )
  }

  public func addresses(userID: UUID) async throws -> [AddressRecord] {
    let rows = try await client.query(
      """
      SELECT id, user_id, line1, line2, city, postal_code, country, is_default, created_at
      FROM addresses WHERE user_id = \(userID) ORDER BY created_at, id
      """,
      logger: logger
    )
    var result: [AddressRecord] = []
    for try await row in rows.decode(AddressRow.self) { result.append(Self.address(row)) }
    return result
  }

  public func addAddress(
    _ address: AddressRecord, isDefault: @Sendable (_ existing: Int) -> Bool
  ) async throws -> AddressRecord {
    try await client.transaction(logger: logger) { tx in
      // The user's row is locked so that two first addresses added at once take turns: the
      // second sees the first, and only one becomes the default.
      let users = try await tx.query("SELECT id FROM users WHERE id = \(address.userID) FOR UPDATE", logger: logger)
      var found = false
      for try await _ in users { found = true }
      guard found else { throw UserError.notFound("user") }
      let counted = try await tx.query(
        "SELECT count(*)::int FROM addresses WHERE user_id = \(address.userID)", logger: logger)
      var existing = 0
      for try await count in counted.decode(Int.self) { existing = count }
      var a = address
      a.isDefault = isDefault(existing)
      if a.isDefault {
        try await tx.query(
          "UPDATE addresses SET is_default = false WHERE user_id = \(a.userID) AND is_default", logger: logger)
      }
      let rows = try await tx.query(
        """
        INSERT INTO addresses (id, user_id, line1, line2, city, postal_code, country, is_default)
        VALUES (\(a.id), \(a.userID), \(a.line1), \(a.line2), \(a.city), \(a.postalCode), \(a.country), \(a.isDefault))
        RETURNING id, user_id, line1, line2, city, postal_code, country, is_default, created_at
        """,
        logger: logger
      )
      for try await row in rows.decode(AddressRow.self) { return Self.address(row) }
      throw UserError.notFound("address")
    }
  }

  public func deleteAddress(userID: UUID, addressID: UUID) async throws -> Bool {
    let rows = try await client.query(
      "DELETE FROM addresses WHERE id = \(addressID) AND user_id = \(userID) RETURNING id",
      logger: logger
    )
    for try await _ in rows { return true }
    return false
  }

  public func insertRefreshToken(hash: String, familyID: UUID, userID: UUID, expiresAt: Date) async throws {
    try await client.query(
      """
      INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)
      VALUES (\(hash), \(familyID), \(userID), \(expiresAt))
      """,
      logger: logger
    )
  }

  public func rotateRefreshToken(hash: String, next: String, expiresAt: Date) async throws -> RefreshRotation {
    try await client.transaction(logger: logger) { tx in
      let rows = try await tx.query(
        """
        SELECT t.family_id, t.user_id, t.expires_at, t.spent_at, t.revoked_at, u.role
        FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = \(hash) FOR UPDATE OF t
        """,
        logger: logger
      )
      var found: (UUID, UUID, Date, Date?, Date?, String)?
      for try await row in rows.decode((UUID, UUID, Date, Date?, Date?, String).self) { found = row }
      guard let (family, userID, expires, spent, revoked, role) = found, revoked == nil else { return .invalid }
      if spent != nil {
        try await tx.query(
          "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = \(family) AND revoked_at IS NULL",
          logger: logger
        )
        return .reused
      }
      guard expires > Date() else { return .invalid }
      try await tx.query("UPDATE refresh_tokens SET spent_at = now() WHERE token_hash = \(hash)", logger: logger)
      try await tx.query(
        """
        INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)
        VALUES (\(next), \(family), \(userID), \(expiresAt))
        """,
        logger: logger
      )
      return .rotated(userID: userID, role: Role(rawValue: role) ?? .customer)
    }
  }

  public func revokeRefreshTokenFamily(of hash: String) async throws {
    try await client.query(
      """
      UPDATE refresh_tokens SET revoked_at = now()
      WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = \(hash)) AND revoked_at IS NULL
      """,
      logger: logger
    )
  }
}
