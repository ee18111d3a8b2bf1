import Foundation
import ShopPersistence

/// The table a service's migrations add to keep its idempotency keys.
public enum IdempotencySchema {
  public static func migration(version: Int) throws -> Migration {
    guard let url = Bundle.module.url(forResource: "idempotency", withExtension: "sql", subdirectory: "Schema") else {
      throw IdempotencyError.schemaNotBundled
    }
    return Migration(version: version, name: "idempotency", sql: try String(contentsOf: url, encoding: .utf8))
  }
}

public enum IdempotencyError: Error, Equatable, Sendable {
  case schemaNotBundled
}
