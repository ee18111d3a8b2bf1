import Foundation

/// Where carts live: Redis in the service, each cart a hash of product id → quantity that
/// expires when left alone long enough. Changing one line never touches another, so
/// concurrent changes of different lines all hold.
public protocol CartStore: Sendable {
  func lines(of userID: UUID) async throws -> [UUID: Int64]
  func set(_ quantity: Int64, of productID: UUID, for userID: UUID) async throws
  func remove(_ productID: UUID, for userID: UUID) async throws
  func clear(for userID: UUID) async throws
}
