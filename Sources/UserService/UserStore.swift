import Foundation
import ShopContracts
import ShopMessaging

/// A user as stored, without credentials.
public struct UserRecord: Sendable, Equatable {
  public var id: UUID
  public var email: String
  public var name: String
  public var phone: String?
  public var role: Role
  public var createdAt: Date
}

public enum Role: String, Sendable, Codable {
  case customer
  case admin
}

public struct AddressRecord: Sendable, Equatable {
  public var id: UUID
  public var userID: UUID
  public var line1: String
  public var line2: String?
  public var city: String
  public var postalCode: String
  public var country: String
  public var isDefault: Bool
  public var createdAt: Date
}

/// What happened to a refresh token presented for rotation.
public enum RefreshRotation: Sendable, Equatable {
  case rotated(userID: UUID, role: Role)
  /// The token had been spent already: its whole family is now revoked.
  case reused
  /// Unknown, expired or revoked.
  case invalid
}

/// The user service's storage. The PostgreSQL implementation is the real one; the protocol
/// keeps the handlers testable and the engine replaceable.
public protocol UserStore: Sendable {
  /// Throws `UserError.emailTaken` when the email (compared case-insensitively) exists.
  /// Inserts the user and records `event` in the same transaction; `emailTaken` when the
  /// email is in use.
  func createUser(_ user: UserRecord, passwordHash: String, event: OutboxEvent<UserRegistered>) async throws
    -> UserRecord
  func user(id: UUID) async throws -> UserRecord?
  /// The user and password hash for a login, by email compared case-insensitively.
  func credentials(email: String) async throws -> (user: UserRecord, passwordHash: String)?
  func updateUser(id: UUID, name: String?, phone: String?) async throws -> UserRecord?

  func addresses(userID: UUID) async throws -> [AddressRecord]
  /// Inserts the address; `isDefault` decides from the number of addresses the user has,
  /// counted in the same transaction, whether it becomes the default (the one before stops
  /// being it). `notFound` when the user does not exist.
  func addAddress(_ address: AddressRecord, isDefault: @Sendable (_ existing: Int) -> Bool) async throws
    -> AddressRecord
  /// False when no such address belongs to the user.
  func deleteAddress(userID: UUID, addressID: UUID) async throws -> Bool

  func insertRefreshToken(hash: String, familyID: UUID, userID: UUID, expiresAt: Date) async throws
  /// Spends `hash` and stores `next` in its family, atomically.
  func rotateRefreshToken(hash: String, next: String, expiresAt: Date) async throws -> RefreshRotation
  func revokeRefreshTokenFamily(of hash: String) async throws
}
