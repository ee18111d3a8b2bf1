import Foundation

/// Creates the accounts a fresh deployment needs: the administrator.
public struct UserSeeder<Store: UserStore>: Sendable {
  let store: Store
  let hasher: PasswordHasher

  public init(store: Store, hasher: PasswordHasher) {
    self.store = store
    self.hasher = hasher
  }

  /// Creates the account unless one with this email exists (whatever its password now).
  @discardableResult
  public func ensureAccount(email: String, password: String, name: String, role: Role) async throws -> UserRecord {
    if let existing = try await store.credentials(email: email) { return existing.user }
    let violations = UserValidation.email(email) + UserValidation.password(password)
    guard violations.isEmpty else { throw UserError.validationFailed(violations) }
    do {
      let user = UserRecord(id: UUID(), email: email, name: name, phone: nil, role: role, createdAt: Date())
      return try await store.createUser(
        user, passwordHash: try await hasher.hash(password), event: user.registeredEvent)
    } catch UserError.emailTaken {
      // Another seeder won the race.
      guard let existing = try await store.credentials(email: email) else { throw UserError.emailTaken }
      return existing.user
    }
  }
}
