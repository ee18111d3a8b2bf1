import Foundation
import ShopPersistence

/// The outbox, inbox and projection tables every service database has (DESIGN.md §4).
public enum EventSchema {
  /// The schema as a migration of a service, numbered after the service's own.
  public static func migration(version: Int) throws -> Migration {
    try Migration.bundled("events", version: version, in: .module)
  }
}
