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
    let admin = try users.administrator()
    try await ServiceDatabase.user.withMigrated(config, logger: logger) { client, _ in
      let seeder = UserSeeder(
        store: PostgresUserStore(client: client, logger: logger),
        hasher: PasswordHasher(cost: UInt8(users.bcryptCost)))
      let account = try await seeder.ensureAccount(
        email: admin.email, password: admin.password, name: "Administrator", role: .admin)
      print("admin: \(account.email)")
    }
    let count = config.int(forKey: "seed.products", default: 10_000)
    try await ServiceDatabase.product.withMigrated(config, logger: logger) { client, _ in
      let inserted = try await CatalogSeeder(client: client, logger: logger).seed(products: count)
      print("catalog: \(inserted) products added")
    }
  }
}
