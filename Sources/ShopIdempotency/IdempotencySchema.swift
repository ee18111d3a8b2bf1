import Foundation
import ShopPersistence

/// The table a service's migrations add to keep its idempotency keys.
public enum IdempotencySchema {
  public static func migration(version: Int) throws -> Migration {
    try Migration.bundled("idempotency", version: version, in: .module)
  }
}
