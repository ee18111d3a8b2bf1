import ArgumentParser
import Configuration
import Logging
import ProductService
import ShopConfiguration
import ShopPersistence
import UserService

/// `shop seed`: creates what a fresh deployment needs: the administrator account and the demo
/// catalog (`seed.products` products, default 10,000). Running it again changes nothing.
struct Seed: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Create the demo data and the administrator.")

  @Argument(parsing: .captureForPassthrough, help: "Configuration options, such as --admin-password.")
  var options: [String] = []

  func run() async throws {
    let config = ShopConfig.reader(arguments: options)
    let logger = Logger(label: "shop.seed")
    let users = try UserServiceConfiguration(config: config)
    try await DatabaseBootstrap.ensureDatabaseExists(users.database, logger: logger)
    try await withPostgres(users.database, logger: logger) { client in
      try await Migrator(service: UserServiceApp.name, migrations: try UserServiceApp.migrations())
        .migrate(client: client, logger: logger)
      let seeder = UserSeeder(
        store: PostgresUserStore(client: client, logger: logger),
        hasher: PasswordHasher(cost: UInt8(users.bcryptCost)))
      let admin = try await seeder.ensureAccount(
        email: users.adminEmail, password: users.adminPassword, name: "Administrator", role: .admin)
      print("admin: \(admin.email)")
    }
    let products = ProductServiceConfiguration(config: config)
    let count = config.int(forKey: "seed.products", default: 10_000)
    try await DatabaseBootstrap.ensureDatabaseExists(products.database, logger: logger)
    try await withPostgres(products.database, logger: logger) { client in
      try await Migrator(service: ProductServiceApp.name, migrations: try ProductServiceApp.migrations())
        .migrate(client: client, logger: logger)
      let inserted = try await CatalogSeeder(client: client, logger: logger).seed(products: count)
      print("catalog: \(inserted) products added")
    }
  }
}
