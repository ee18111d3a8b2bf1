import Foundation
import Logging
import PostgresNIO
import ShopPersistence
import ShopRPC
import ShopTestSupport
import Testing

@testable import ProductService

@Suite(.enabled(if: Infra.postgres, "PostgreSQL is not reachable"))
struct ProductCatalogIntegrationTests {
  typealias Catalog = ProductCatalog<PostgresProductStore>

  static func withCatalog(_ body: @Sendable (Catalog, PostgresClient) async throws -> Void) async throws {
    try await TestDatabase.with(
      migrations: try ProductServiceDeclaration.migrations(),
      clientConfiguration: { ProductServiceDeclaration.searchSettings($0.clientConfiguration()) }
    ) { client, _ in
      try await body(ProductCatalog(store: PostgresProductStore(client: client, logger: Logger(label: "test"))), client)
    }
  }

  static func product(
    _ catalog: Catalog, category: CategoryRecord, name: String = "Desk Lamp", sku: String = UUID().uuidString,
    price: Int64 = 1999, stock: Int64 = 10
  ) async throws -> ProductRecord {
    try await catalog.createProduct(
      sku: sku, name: name, description: "A \(name.lowercased()) for everyday use.", priceAmount: price,
      currency: "usd", categoryID: category.id.uuidString, initialStock: stock)
  }

  static func search(
    _ catalog: Catalog, _ q: String?, category: UUID? = nil, sort: String? = nil, limit: Int = 20,
    cursor: String? = nil, inStock: Bool = false
  ) async throws -> SearchPage {
    try await catalog.search(
      try ProductSearch(
        text: q, categoryID: category?.uuidString, minPrice: nil, maxPrice: nil, inStockOnly: inStock, sort: sort,
        limit: limit, cursor: cursor))
  }

  static func outbox(_ client: PostgresClient, type: String) async throws -> [String] {
    var payloads: [String] = []
    for try await payload in try await client.query(
      "SELECT payload::text FROM outbox WHERE type = \(type) ORDER BY aggregate_version"
    )
    .decode(String.self) {
      payloads.append(payload)
    }
    return payloads
  }

  @Test func categoriesFormATreeAndSlugsAreUnique() async throws {
    try await Self.withCatalog { catalog, _ in
      let home = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      _ = try await catalog.createCategory(name: "Lighting", slug: "lighting", parentID: home.id.uuidString)
      await #expect(throws: ProductError.slugTaken) {
        try await catalog.createCategory(name: "X", slug: "home", parentID: nil)
      }
      await #expect(throws: ProductError.self) {
        try await catalog.createCategory(name: "X", slug: "Not A Slug", parentID: nil)
      }
      await #expect(throws: ProductError.notFound("parent category")) {
        try await catalog.createCategory(name: "X", slug: "x", parentID: UUID().uuidString)
      }
      // A parent given as "" names no category; it is not read as "no parent".
      await #expect(throws: ProductError.self) {
        try await catalog.createCategory(name: "X", slug: "x", parentID: "")
      }
      let tree = try await catalog.categoryTree()
      #expect(tree.map(\.record.slug) == ["home"])
      #expect(tree[0].children.map(\.record.slug) == ["lighting"])
    }
  }

  @Test func productsValidateAndSKUsAreUnique() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, sku: "LAMP-1")
      #expect(lamp.currency == "USD" && lamp.stockStatus == .inStock && lamp.available == 10)
      await #expect(throws: ProductError.skuTaken) {
        try await Self.product(catalog, category: category, sku: "lamp-1")
      }
      await #expect(throws: ProductError.notFound("category")) {
        try await catalog.createProduct(
          sku: "X", name: "X", description: "", priceAmount: 1, currency: "USD", categoryID: UUID().uuidString,
          initialStock: 0)
      }
      do {
        _ = try await catalog.createProduct(
          sku: "", name: "", description: "", priceAmount: -1, currency: "dollars", categoryID: "x", initialStock: -1,
          lowStockThreshold: -1)
        Issue.record("must fail")
      } catch ProductError.validationFailed(let violations) {
        #expect(
          Set(violations.map(\.field)) == [
            "sku", "name", "price.amount", "price.currency", "initial_stock", "category_id", "low_stock_threshold",
          ])
      }
      let renamed = try await catalog.updateProduct(
        id: lamp.id.uuidString, name: "Reading Lamp", description: nil, price: (2499, "usd"), categoryID: nil)
      #expect(renamed.name == "Reading Lamp" && renamed.priceAmount == 2499 && renamed.sku == "LAMP-1")

      // The low-stock threshold is the product's own: 5 by default, set on create or update.
      let kettle = try await catalog.createProduct(
        sku: "KETTLE", name: "Kettle", description: "", priceAmount: 1, currency: "USD",
        categoryID: category.id.uuidString, initialStock: 3, lowStockThreshold: 2)
      #expect(kettle.lowStockThreshold == 2 && kettle.stockStatus == .inStock)
      let raised = try await catalog.updateProduct(
        id: kettle.id.uuidString, name: nil, description: nil, price: nil, categoryID: nil, lowStockThreshold: 3)
      #expect(raised.lowStockThreshold == 3 && raised.stockStatus == .lowStock && raised.name == "Kettle")
      await #expect(
        throws: ProductError.validationFailed([
          .init(field: "low_stock_threshold", reason: "must be between 0 and 1000000")
        ])
      ) {
        try await catalog.updateProduct(
          id: kettle.id.uuidString, name: nil, description: nil, price: nil, categoryID: nil, lowStockThreshold: -1)
      }
      #expect(
        try await catalog.product(id: kettle.id.uuidString).lowStockThreshold == 3, "a refused update changes nothing")
    }
  }

  @Test func adjustmentsNeverGoNegativeAndRecordStockEvents() async throws {
    try await Self.withCatalog { catalog, client in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 7)
      let waiting = UUID()
      _ = try await catalog.joinWaitlist(productID: lamp.id.uuidString, userID: waiting.uuidString)
      await #expect(throws: ProductError.insufficientStock(available: 7)) {
        try await catalog.adjustStock(productID: lamp.id.uuidString, delta: -8, reason: "count")
      }
      #expect(try await catalog.adjustStock(productID: lamp.id.uuidString, delta: -3, reason: "damaged").available == 4)
      #expect(try await Self.outbox(client, type: "inventory.low_stock").count == 1)
      #expect(try await catalog.adjustStock(productID: lamp.id.uuidString, delta: -4, reason: "sold").available == 0)
      #expect(try await catalog.product(id: lamp.id.uuidString).stockStatus == .outOfStock)
      #expect(
        try await catalog.adjustStock(productID: lamp.id.uuidString, delta: 20, reason: "restock").available == 20)
      let backInStock = try await Self.outbox(client, type: "product.back_in_stock")
      #expect(backInStock.count == 1)
      #expect(backInStock.first?.contains(waiting.uuidString.lowercased()) == true)
      #expect(backInStock.first?.contains("\"aggregate_version\"") == true)
      await #expect(throws: ProductError.notFound("product")) {
        try await catalog.adjustStock(productID: UUID().uuidString, delta: 1, reason: "x")
      }
    }
  }

  @Test func concurrentAdjustmentsTakeExactlyTheStockThereIs() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 20)
      let succeeded = await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<50 {
          group.addTask {
            (try? await catalog.adjustStock(productID: lamp.id.uuidString, delta: -1, reason: "sale")) != nil
          }
        }
        var count = 0
        for await ok in group where ok { count += 1 }
        return count
      }
      #expect(succeeded == 20)
      #expect(try await catalog.product(id: lamp.id.uuidString).available == 0)
    }
  }

  @Test func concurrentReservationsNeverOversell() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 50)
      let reserved = await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<200 {
          group.addTask {
            (try? await catalog.reserve(orderID: UUID().uuidString, lines: [(lamp.id.uuidString, 1)], ttl: .seconds(60)))
              != nil
          }
        }
        var count = 0
        for await ok in group where ok { count += 1 }
        return count
      }
      #expect(reserved == 50)
      let after = try await catalog.product(id: lamp.id.uuidString)
      #expect(after.reserved == 50 && after.onHand == 50 && after.available == 0)
    }
  }

  @Test func reservationsAreAllOrNothingIdempotentAndFollowTheirLifecycle() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 5)
      let chair = try await Self.product(catalog, category: category, name: "Chair", stock: 1)
      let order = UUID().uuidString
      do {
        _ = try await catalog.reserve(
          orderID: order, lines: [(lamp.id.uuidString, 2), (chair.id.uuidString, 3)], ttl: .seconds(60))
        Issue.record("must be out of stock")
      } catch ProductError.outOfStock(let lines) {
        #expect(lines == [.init(productID: chair.id, requested: 3, available: 1)])
      }
      #expect(try await catalog.product(id: lamp.id.uuidString).reserved == 0, "all or nothing")

      let (status, _) = try await catalog.reserve(orderID: order, lines: [(lamp.id.uuidString, 2)], ttl: .seconds(60))
      #expect(status == .held)
      _ = try await catalog.reserve(orderID: order, lines: [(lamp.id.uuidString, 2)], ttl: .seconds(60))
      #expect(try await catalog.product(id: lamp.id.uuidString).reserved == 2, "the same order id reserves once")

      #expect(try await catalog.commit(orderID: order) == .committed)
      #expect(try await catalog.commit(orderID: order) == .committed)
      await #expect(throws: ProductError.invalidTransition("a committed reservation cannot be released")) {
        try await catalog.release(orderID: order)
      }
      let afterCommit = try await catalog.product(id: lamp.id.uuidString)
      #expect(afterCommit.onHand == 3 && afterCommit.reserved == 0)

      let other = UUID().uuidString
      _ = try await catalog.reserve(orderID: other, lines: [(lamp.id.uuidString, 1)], ttl: .seconds(60))
      #expect(try await catalog.release(orderID: other) == .released)
      #expect(try await catalog.release(orderID: other) == .released)
      await #expect(throws: ProductError.self) { try await catalog.commit(orderID: other) }
      #expect(try await catalog.product(id: lamp.id.uuidString).available == 3)
      await #expect(throws: ProductError.self) {
        try await catalog.reserve(
          orderID: UUID().uuidString, lines: [(lamp.id.uuidString, 1), (lamp.id.uuidString, 1)], ttl: .seconds(60))
      }
    }
  }

  @Test func aCancelledOrdersStockGoesBackOnceWhetherHeldOrSold() async throws {
    try await Self.withCatalog { catalog, client in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 2)
      let waiting = UUID()
      _ = try await catalog.joinWaitlist(productID: lamp.id.uuidString, userID: waiting.uuidString)
      let sold = UUID().uuidString
      _ = try await catalog.reserve(orderID: sold, lines: [(lamp.id.uuidString, 2)], ttl: .seconds(60))
      _ = try await catalog.commit(orderID: sold)
      #expect(try await catalog.product(id: lamp.id.uuidString).onHand == 0)

      // Sold stock goes back on hand, once however often it is asked, and brings the product
      // back in stock for whoever waits.
      #expect(try await catalog.restock(orderID: sold) == .returned)
      #expect(try await catalog.restock(orderID: sold) == .returned)
      let back = try await catalog.product(id: lamp.id.uuidString)
      #expect(back.onHand == 2 && back.reserved == 0)
      #expect(try await Self.outbox(client, type: "product.back_in_stock").count == 1)
      await #expect(throws: ProductError.self) { try await catalog.commit(orderID: sold) }
      await #expect(throws: ProductError.self) { try await catalog.release(orderID: sold) }

      // Held stock is released.
      let held = UUID().uuidString
      _ = try await catalog.reserve(orderID: held, lines: [(lamp.id.uuidString, 1)], ttl: .seconds(60))
      #expect(try await catalog.restock(orderID: held) == .released)
      #expect(try await catalog.restock(orderID: held) == .released)
      let after = try await catalog.product(id: lamp.id.uuidString)
      #expect(after.onHand == 2 && after.reserved == 0)
      await #expect(throws: ProductError.notFound("reservation")) {
        try await catalog.restock(orderID: UUID().uuidString)
      }
    }
  }

  @Test func oneOrderReservedConcurrentlyHoldsItsStockOnce() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 50)
      let order = UUID().uuidString
      let statuses = try await withThrowingTaskGroup(of: ReservationStatus.self) { group in
        for _ in 0..<20 {
          group.addTask {
            try await catalog.reserve(orderID: order, lines: [(lamp.id.uuidString, 2)], ttl: .seconds(60)).0
          }
        }
        return try await group.reduce(into: [ReservationStatus]()) { $0.append($1) }
      }
      #expect(statuses == Array(repeating: .held, count: 20), "every call answers as the one that won")
      let after = try await catalog.product(id: lamp.id.uuidString)
      #expect(after.reserved == 2 && after.available == 48)
    }
  }

  /// The checkout saga retries `Reserve` while its first call may still run: with exactly the
  /// stock the order needs, every call must answer `held`, not find the stock taken by itself.
  @Test func retriesOfOneReservationWithExactlyTheStockAllAnswerHeld() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 3)
      let order = UUID().uuidString
      let statuses = await withTaskGroup(of: String.self) { group in
        for _ in 0..<10 {
          group.addTask {
            do {
              return
                "\(try await catalog.reserve(orderID: order, lines: [(lamp.id.uuidString, 3)], ttl: .seconds(60)).0)"
            } catch {
              return "\(error)"
            }
          }
        }
        return await group.reduce(into: [String]()) { $0.append($1) }
      }
      #expect(statuses == Array(repeating: "\(ReservationStatus.held)", count: 10))
      let after = try await catalog.product(id: lamp.id.uuidString)
      #expect(after.reserved == 3 && after.available == 0, "the stock is held once")
    }
  }

  /// More expired lines than one round takes, in orders of several lines each: one pass
  /// releases them all.
  @Test func oneSweepReleasesEverythingExpiredWhateverTheOrdersSize() async throws {
    try await Self.withCatalog { catalog, client in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      var products: [ProductRecord] = []
      for index in 0..<5 {
        products.append(try await Self.product(catalog, category: category, name: "Lamp \(index)", stock: 100))
      }
      for _ in 0..<30 {
        _ = try await catalog.reserve(
          orderID: UUID().uuidString, lines: products.map { ($0.id.uuidString, 1) }, ttl: .seconds(60))
      }
      try await client.query("UPDATE reservations SET expires_at = now() - interval '1 second'")
      let sweeper = ReservationSweeper(store: catalog.store, interval: .seconds(60), logger: Logger(label: "test"))
      #expect(try await sweeper.sweep(batchSize: 20) == 30)
      for product in products {
        #expect(try await catalog.product(id: product.id.uuidString).reserved == 0)
      }
    }
  }

  @Test func anExpiredReservationCannotBeCommittedBeforeTheSweeperRuns() async throws {
    try await Self.withCatalog { catalog, client in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 4)
      let order = UUID()
      _ = try await catalog.reserve(orderID: order.uuidString, lines: [(lamp.id.uuidString, 3)], ttl: .seconds(60))
      try await client.query(
        "UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = \(order)")
      await #expect(throws: ProductError.reservationExpired) { try await catalog.commit(orderID: order.uuidString) }
      let after = try await catalog.product(id: lamp.id.uuidString)
      #expect(after.onHand == 4 && after.reserved == 3, "a refused commit changes nothing")
      #expect(try await catalog.release(orderID: order.uuidString) == .released)
      #expect(try await catalog.product(id: lamp.id.uuidString).available == 4)
    }
  }

  @Test func theSweeperReleasesWhatExpiredAndLeavesTheRest() async throws {
    try await Self.withCatalog { catalog, client in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 10)
      let expired = UUID()
      let current = UUID()
      _ = try await catalog.reserve(orderID: expired.uuidString, lines: [(lamp.id.uuidString, 3)], ttl: .seconds(60))
      _ = try await catalog.reserve(orderID: current.uuidString, lines: [(lamp.id.uuidString, 2)], ttl: .seconds(60))
      try await client.query(
        "UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = \(expired)")
      let sweeper = ReservationSweeper(store: catalog.store, interval: .milliseconds(50), logger: Logger(label: "test"))
      let running = Task { try await sweeper.run() }
      var failure: (any Error)?
      do {
        try await withDeadline(.seconds(10)) {
          while try await catalog.product(id: lamp.id.uuidString).reserved != 2 {
            try await Task.sleep(for: .milliseconds(20))
          }
        }
      } catch {
        failure = error
      }
      // Stopped before the database goes away, so that it is never caught mid-sweep.
      running.cancel()
      _ = await running.result
      if let failure { throw failure }
      await #expect(throws: ProductError.self) { try await catalog.commit(orderID: expired.uuidString) }
      #expect(try await catalog.commit(orderID: current.uuidString) == .committed, "an unexpired one is untouched")
      #expect(try await catalog.product(id: lamp.id.uuidString).available == 8)
    }
  }

  /// Text PostgreSQL cannot store, or that belongs in no name, is invalid; a malformed
  /// product id names no product.
  @Test func controlCharactersAreInvalidAndAMalformedIdIsNotFound() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      await #expect(throws: ProductError.self) {
        try await Self.product(catalog, category: category, name: "Lamp\u{0}")
      }
      await #expect(throws: ProductError.self) {
        try await catalog.createCategory(name: "Bad\u{1b}", slug: "bad", parentID: nil)
      }
      let lamp = try await Self.product(catalog, category: category)
      await #expect(throws: ProductError.self) {
        try await catalog.adjustStock(productID: lamp.id.uuidString, delta: 1, reason: "re\u{0}stock")
      }
      let multiline = try await catalog.updateProduct(
        id: lamp.id.uuidString, name: nil, description: "Two lines:\nbright\tand warm.", price: nil, categoryID: nil)
      #expect(multiline.description.contains("\n"), "a description may break lines")
      await #expect(throws: ProductError.notFound("product")) {
        try await catalog.leaveWaitlist(productID: "null,null", userID: UUID().uuidString)
      }
    }
  }

  @Test func aWaitlistPagesOldestFirst() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let user = UUID().uuidString
      var joined: [UUID] = []
      for index in 0..<5 {
        let product = try await Self.product(catalog, category: category, name: "Lamp \(index)", stock: 0)
        #expect(try await catalog.joinWaitlist(productID: product.id.uuidString, userID: user).0)
        joined.append(product.id)
      }
      var listed: [UUID] = []
      var cursor: String?
      var pages = 0
      repeat {
        let page = try await catalog.waitlist(userID: user, limit: 2, cursor: cursor)
        listed += page.entries.map(\.0)
        cursor = page.next?.encoded
        pages += 1
      } while cursor != nil
      #expect(listed == joined && pages == 3)
      #expect(try await catalog.waitlist(userID: user, limit: nil, cursor: nil).entries.count == 5)
      await #expect(throws: ProductError.self) { try await catalog.waitlist(userID: user, limit: 101, cursor: nil) }
      await #expect(throws: ProductError.invalidCursor) {
        try await catalog.waitlist(userID: user, limit: 2, cursor: "not-a-cursor")
      }
    }
  }

  @Test func seedingTwiceChangesNothing() async throws {
    try await Self.withCatalog { catalog, client in
      let seeder = CatalogSeeder(client: client, logger: Logger(label: "test"))
      #expect(try await seeder.seed(products: 300) == 300)
      let first = try await Self.search(catalog, nil, sort: "price_asc", limit: 100)
      #expect(try await seeder.seed(products: 300) == 0)
      let tree = try await catalog.categoryTree()
      #expect(tree.count == 4 && tree.reduce(0) { $0 + $1.children.count } == 14, "two levels, 18 categories")
      let again = try await Self.search(catalog, nil, sort: "price_asc", limit: 100)
      #expect(again.items == first.items && again.facets.priceRanges.reduce(0) { $0 + $1.count } == 300)
    }
  }

  @Test func expiredReservationsAreReleased() async throws {
    try await Self.withCatalog { catalog, _ in
      let category = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lamp = try await Self.product(catalog, category: category, stock: 3)
      let order = UUID().uuidString
      _ = try await catalog.reserve(orderID: order, lines: [(lamp.id.uuidString, 3)], ttl: .seconds(60))
      #expect(try await catalog.product(id: lamp.id.uuidString).available == 0)
      #expect(try await catalog.store.releaseExpired(now: Date(), limit: 100) == 0)
      #expect(try await catalog.store.releaseExpired(now: Date().addingTimeInterval(120), limit: 100) == 1)
      #expect(try await catalog.product(id: lamp.id.uuidString).available == 3)
      await #expect(throws: ProductError.self) { try await catalog.commit(orderID: order) }
    }
  }

  @Test func searchToleratesTyposFiltersFacetsAndPages() async throws {
    try await Self.withCatalog { catalog, client in
      let home = try await catalog.createCategory(name: "Home", slug: "home", parentID: nil)
      let lighting = try await catalog.createCategory(name: "Lighting", slug: "lighting", parentID: home.id.uuidString)
      let office = try await catalog.createCategory(name: "Office", slug: "office", parentID: nil)
      // A few thousand products in one statement.
      try await client.query(
        """
        INSERT INTO products (id, sku, name, description, price_amount, currency, category_id)
        SELECT gen_random_uuid(), 'SKU-' || g, (ARRAY['Oak Desk', 'Table Lamp', 'Office Chair', 'Bookshelf'])[g % 4 + 1] || ' ' || g,
          'Sturdy and plain.', (g % 50) * 500 + 99, 'USD',
          CASE WHEN g % 4 = 1 THEN \(lighting.id) WHEN g % 2 = 0 THEN \(office.id) ELSE \(home.id) END
        FROM generate_series(1, 3000) g
        """)
      try await client.query(
        "INSERT INTO inventory (product_id, on_hand) SELECT id, (random() * 3)::int FROM products")
      _ = try await Self.product(catalog, category: lighting, name: "Tiffany Lamp", sku: "TIFFANY")

      func search(
        _ q: String?, category: UUID? = nil, sort: String? = nil, limit: Int = 20, cursor: String? = nil,
        inStock: Bool = false
      ) async throws -> SearchPage {
        try await Self.search(
          catalog, q, category: category, sort: sort, limit: limit, cursor: cursor, inStock: inStock)
      }
      #expect(try await search("tiffany").items.first?.sku == "TIFFANY")
      #expect(try await search("tifany").items.first?.sku == "TIFFANY", "a dropped letter")
      #expect(try await search("tiffnay").items.first?.sku == "TIFFANY", "a swapped pair")
      #expect(
        try await search("tifany lamb").items.map(\.sku) == ["TIFFANY"], "each word corrected, all of them matched")
      #expect(try await search("zzyzx").items.isEmpty, "nothing similar, nothing found")
      #expect(try await search("tifany -lamb").items.isEmpty, "an excluded word stays excluded once corrected")

      // A word no product uses any more is no correction.
      let kettle = try await Self.product(catalog, category: home, name: "Zanzibar Kettle", sku: "ZANZIBAR")
      #expect(try await search("zanzibr").items.map(\.sku) == ["ZANZIBAR"])
      _ = try await catalog.updateProduct(
        id: kettle.id.uuidString, name: "Quokka Kettle", description: "Plain.", price: nil, categoryID: nil)
      #expect(try await search("zanzibr").items.isEmpty)
      #expect(try await search("qokka").items.map(\.sku) == ["ZANZIBAR"], "its new words are")
      try await client.query("DELETE FROM products WHERE id = \(kettle.id)")
      let counts = try await client.query("SELECT products FROM search_words WHERE word IN ('quokka', 'kettle')")
        .decode(Int32.self).reduce(into: [Int32]()) { $0.append($1) }
      #expect(counts == [0, 0], "a deleted product's words are no longer counted")

      // A misspelt query pages by relevance like any other, its cursor keeping it corrected.
      var lampsSeen: Set<UUID> = []
      var lampCursor: String?
      repeat {
        let page = try await search("tabel lamp", limit: 100, cursor: lampCursor)
        for item in page.items {
          #expect(lampsSeen.insert(item.id).inserted, "a row came back twice")
          #expect(item.name.hasPrefix("Table Lamp"))
        }
        lampCursor = page.nextCursor?.encoded
      } while lampCursor != nil
      #expect(lampsSeen.count == 750)

      let lamps = try await search("lamp", category: home.id)
      #expect(!lamps.items.isEmpty && lamps.items.allSatisfy { $0.name.contains("Lamp") })
      #expect(lamps.facets.categories.map(\.name) == ["Lighting"], "descendants included, facets over the result")
      #expect(lamps.facets.priceRanges.reduce(0) { $0 + $1.count } == lamps.facets.categories[0].count)

      let inStock = try await search(nil, limit: 100, inStock: true)
      #expect(inStock.items.allSatisfy { $0.available > 0 })

      // Page through everything by price while products keep arriving: no row twice.
      var seen: Set<UUID> = []
      var cursor: String?
      var previousPrice: Int64 = -1
      var pages = 0
      repeat {
        let page = try await search(nil, category: office.id, sort: "price_asc", limit: 100, cursor: cursor)
        for item in page.items {
          #expect(seen.insert(item.id).inserted, "a row came back twice")
          #expect(item.priceAmount >= previousPrice)
          previousPrice = item.priceAmount
        }
        cursor = page.nextCursor?.encoded
        pages += 1
        if pages == 3 { _ = try await Self.product(catalog, category: office, name: "Standing Desk", price: 1) }
      } while cursor != nil
      #expect(seen.count == 1500)
    }
  }
}
