import Foundation
import Logging
import PostgresNIO
import ShopPersistence

/// Loads the demo catalog: two levels of categories and thousands of products with plausible
/// names, descriptions, prices and stock. Deterministic (the same ids, SKUs and values every
/// time) and idempotent: seeding again adds nothing.
public struct CatalogSeeder: Sendable {
  let client: PostgresClient
  let logger: Logger

  public init(client: PostgresClient, logger: Logger) {
    self.client = client
    self.logger = logger
  }

  static let departments: [(String, [String])] = [
    ("Electronics", ["Laptops", "Headphones", "Cameras", "Phones"]),
    ("Home", ["Lighting", "Furniture", "Kitchen", "Bedding"]),
    ("Outdoors", ["Camping", "Cycling", "Garden"]),
    ("Apparel", ["Shoes", "Jackets", "Bags"]),
  ]

  static let adjectives = [
    "Classic", "Compact", "Deluxe", "Essential", "Everyday", "Heritage", "Modern", "Nordic", "Portable", "Premium",
    "Rugged", "Smart", "Studio", "Ultra", "Urban", "Vintage", "Wireless", "Ergonomic", "Solar", "Foldable",
  ]

  static let nouns: [String: [String]] = [
    "Laptops": ["Laptop", "Notebook", "Ultrabook"], "Headphones": ["Headphones", "Earbuds", "Headset"],
    "Cameras": ["Camera", "Camcorder", "Lens"], "Phones": ["Phone", "Smartphone", "Charger"],
    "Lighting": ["Lamp", "Lantern", "Floor Light"], "Furniture": ["Desk", "Chair", "Bookshelf"],
    "Kitchen": ["Kettle", "Blender", "Skillet"], "Bedding": ["Duvet", "Pillow", "Blanket"],
    "Camping": ["Tent", "Sleeping Bag", "Stove"], "Cycling": ["Bike Helmet", "Bike Light", "Saddle"],
    "Garden": ["Hose", "Planter", "Shears"], "Shoes": ["Sneakers", "Boots", "Sandals"],
    "Jackets": ["Raincoat", "Parka", "Windbreaker"], "Bags": ["Backpack", "Tote", "Duffel"],
  ]

  static let materials = ["oak", "steel", "recycled plastic", "aluminium", "cotton", "leather", "bamboo", "wool"]
  static let colours = ["black", "white", "forest green", "navy", "sand", "graphite", "red", "sky blue"]

  /// Returns how many products it inserted (zero when the catalog was already seeded).
  @discardableResult
  public func seed(products count: Int = 10_000) async throws -> Int {
    var random = SplitMix64(seed: 0x5357_4946_5453_484F)
    var categoryIDs: [(UUID, String)] = []
    try await client.transaction(logger: logger) { tx in
      for (department, children) in Self.departments {
        let parent = Self.uuid(&random)
        let parentID = try await upsertCategory(tx, id: parent, name: department, parent: nil)
        for child in children {
          let id = try await upsertCategory(tx, id: Self.uuid(&random), name: child, parent: parentID)
          categoryIDs.append((id, child))
        }
      }
    }

    var ids: [UUID] = [], skus: [String] = [], names: [String] = [], descriptions: [String] = []
    var prices: [Int64] = [], categories: [UUID] = [], stock: [Int64] = []
    for index in 1...count {
      let (category, kind) = categoryIDs[Int(random.next() % UInt64(categoryIDs.count))]
      let noun = Self.nouns[kind]!.randomElement(using: &random)!
      let adjective = Self.adjectives.randomElement(using: &random)!
      let colour = Self.colours.randomElement(using: &random)!
      let material = Self.materials.randomElement(using: &random)!
      ids.append(Self.uuid(&random))
      skus.append(String(format: "DEMO-%05d", index))
      names.append("\(adjective) \(noun) \(index)")
      descriptions.append(
        "A \(adjective.lowercased()) \(noun.lowercased()) in \(colour), made of \(material). Built to last and easy to care for."
      )
      prices.append(Int64(random.next() % 600 + 1) * 100 - 1)
      // Roughly one in ten is sold out, one in ten is low.
      let roll = random.next() % 10
      stock.append(roll == 0 ? 0 : roll == 1 ? Int64(random.next() % 5 + 1) : Int64(random.next() % 200 + 6))
      categories.append(category)
    }
    return try await client.transaction(logger: logger) { tx in
      let rows = try await tx.query(
        """
        WITH inserted AS (
          INSERT INTO products (id, sku, name, description, price_amount, currency, category_id)
          SELECT id, sku, name, description, price, 'USD', category
          FROM unnest(\(ids)::uuid[], \(skus)::text[], \(names)::text[], \(descriptions)::text[], \(prices)::int8[],
            \(categories)::uuid[]) AS t(id, sku, name, description, price, category)
          ON CONFLICT DO NOTHING
          RETURNING id
        )
        INSERT INTO inventory (product_id, on_hand)
        SELECT t.id, t.stock FROM unnest(\(ids)::uuid[], \(stock)::int8[]) AS t(id, stock)
        JOIN inserted ON inserted.id = t.id
        RETURNING product_id
        """,
        logger: logger)
      var inserted = 0
      for try await _ in rows { inserted += 1 }
      return inserted
    }
  }

  private func upsertCategory(_ tx: PostgresConnection, id: UUID, name: String, parent: UUID?) async throws -> UUID {
    let slug = name.lowercased().replacingOccurrences(of: " ", with: "-")
    let rows = try await tx.query(
      """
      INSERT INTO categories (id, name, slug, parent_id) VALUES (\(id), \(name), \(slug), \(parent))
      ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug
      RETURNING id
      """,
      logger: logger)
    for try await existing in rows.decode(UUID.self) { return existing }
    return id
  }

  static func uuid(_ random: inout SplitMix64) -> UUID {
    let a = random.next(), b = random.next()
    var bytes = withUnsafeBytes(of: a.bigEndian) { Array($0) } + withUnsafeBytes(of: b.bigEndian) { Array($0) }
    bytes[6] = (bytes[6] & 0x0f) | 0x40  // version 4 layout
    bytes[8] = (bytes[8] & 0x3f) | 0x80
    return UUID(
      uuid: (
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
        bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
      ))
  }
}

/// A small seeded generator, so that the demo catalog is the same on every machine.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
