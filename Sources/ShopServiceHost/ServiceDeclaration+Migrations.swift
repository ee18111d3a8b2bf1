import Foundation
import ShopMessaging
import ShopPersistence

extension ServiceDeclaration {
  /// The numbered SQL files of the service's bundled `Migrations` folder, with the event
  /// schema (outbox, inbox) at `eventSchemaVersion`, in version order.
  public static func bundledMigrations(in bundle: Bundle, eventSchemaVersion: Int) throws -> [Migration] {
    try bundledMigrations(in: bundle, adding: [try EventSchema.migration(version: eventSchemaVersion)])
  }

  /// The numbered SQL files of the service's bundled `Migrations` folder with the shared
  /// schemas it adds (events, idempotency keys), in version order.
  public static func bundledMigrations(in bundle: Bundle, adding shared: [Migration]) throws -> [Migration] {
    guard let url = bundle.url(forResource: "Migrations", withExtension: nil) else {
      throw PersistenceError(code: .invalidMigration, message: "the \(name) service's migrations are not bundled")
    }
    return (try Migration.load(from: url) + shared).sorted { $0.version < $1.version }
  }
}
