import ProductService
import ShopPersistence
import UserService

/// A service that owns a database, as the operational commands address it.
struct ServiceDatabase: Sendable {
  let service: String
  let defaultName: String
  let migrations: @Sendable () throws -> [Migration]

  static let all = [
    ServiceDatabase(service: UserServiceApp.name, defaultName: "users", migrations: UserServiceApp.migrations),
    ServiceDatabase(service: ProductServiceApp.name, defaultName: "products", migrations: ProductServiceApp.migrations),
  ]

  static var names: String { all.map(\.service).joined(separator: ", ") }

  static func named(_ service: String) -> ServiceDatabase? {
    all.first { $0.service == service }
  }
}
