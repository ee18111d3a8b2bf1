import Foundation
import ShopPersistence

/// The outbox, inbox and projection tables every service database has (DESIGN.md §4).
public enum EventSchema {
  /// The schema as a migration of a service, numbered after the service's own.
  public static func migration(version: Int) throws -> Migration {
    guard let url = Bundle.module.url(forResource: "events", withExtension: "sql", subdirectory: "Schema") else {
      throw MessagingError(.invalidArgument, "the event schema is not bundled")
    }
    return Migration(version: version, name: "events", sql: try String(contentsOf: url, encoding: .utf8))
  }
}
