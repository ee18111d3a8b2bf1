import Foundation
import ShopContracts

/// The customer's saved addresses, at the user service.
public protocol AddressBook: Sendable {
  /// The address, or nil when the user has none with this id.
  func address(_ id: UUID, of userID: UUID) async throws -> PostalAddress?
}
