import Configuration
import Logging
import NotificationService
import OrderService
import PaymentSandbox
import PostgresNIO
import ProductService
import ShopPersistence
import ShopServiceHost
import UserService

/// A service that owns a database, as the operational commands address it.
struct ServiceDatabase: Sendable {
  let service: String
  let defaults: ServiceDefaults
  let migrations: @Sendable () throws -> [Migration]
  /// Whether it has an outbox.
  let usesEvents: Bool

  init<Declaration: ServiceDeclaration>(_ declaration: Declaration.Type) {
    service = Declaration.name
    defaults = Declaration.defaults
    migrations = Declaration.migrations
    usesEvents = Declaration.usesEvents
  }

  static let user = ServiceDatabase(UserServiceDeclaration.self)
  static let product = ServiceDatabase(ProductServiceDeclaration.self)
  static let order = ServiceDatabase(OrderServiceDeclaration.self)
  static let notification = ServiceDatabase(NotificationServiceDeclaration.self)
  static let paymentSandbox = ServiceDatabase(PaymentSandboxDeclaration.self)
  static let all = [user, product, order, notification, paymentSandbox]

  static var names: String { all.map(\.service).joined(separator: ", ") }

  static func named(_ service: String) -> ServiceDatabase? {
    all.first { $0.service == service }
  }

  func configuration(_ config: ConfigReader) -> DatabaseConfiguration {
    DatabaseConfiguration(config: config, defaultName: defaults.databaseName)
  }

  /// Runs `body` against the service's database once it exists and is migrated, with the
  /// versions this run applied.
  func withMigrated<T: Sendable>(
    _ config: ConfigReader, logger: Logger, _ body: @Sendable (PostgresClient, [Int]) async throws -> T
  ) async throws -> T {
    let database = configuration(config)
    try await DatabaseBootstrap.ensureDatabaseExists(database, logger: logger)
    let migrator = Migrator(service: service, migrations: try migrations())
    return try await withPostgres(database, logger: logger) { client in
      try await body(client, try await migrator.migrate(client: client, logger: logger))
    }
  }
}
