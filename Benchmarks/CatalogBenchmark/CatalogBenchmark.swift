import AsyncHTTPClient
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import ProductService
import ShopContracts
import ShopPersistence
import ShopRPC

/// `catalog-bench`: product search latency at a fixed arrival rate (open loop: each request
/// is timed from its scheduled start, so a slow answer cannot hide the ones queued behind
/// it), through the gateway, straight over gRPC, and straight against PostgreSQL; then the
/// gateway rate is ramped to find where p95 passes 100 ms. Prints a table and, last, one
/// JSON object.
@main
struct CatalogBenchmark {
  struct Options {
    var gateway = "http://127.0.0.1:8080"
    var grpcHost = "127.0.0.1"
    var grpcPort = 50052
    /// The stack's certificates; the benchmark calls the product service as `bench`.
    var tlsDirectory = ".run/secrets/tls"
    var rate = 200
    var seconds = 30
    var rampSeconds = 8
  }

  /// One search of the mix, in the three forms the three phases send.
  struct Search: Sendable {
    var query: [(String, String)]

    var path: String {
      "/api/v1/products?"
        + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        .joined(separator: "&")
    }

    var value: [String: String] { Dictionary(query, uniquingKeysWith: { a, _ in a }) }
  }

  static func main() async throws {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next(), let value = arguments.next() {
      switch flag {
      case "--gateway": options.gateway = value
      case "--grpc-port": options.grpcPort = Int(value) ?? options.grpcPort
      case "--tls-directory": options.tlsDirectory = value
      case "--rate": options.rate = Int(value) ?? options.rate
      case "--seconds": options.seconds = Int(value) ?? options.seconds
      case "--ramp-seconds": options.rampSeconds = Int(value) ?? options.rampSeconds
      default: fatalError("unknown option \(flag)")
      }
    }
    var logger = Logger(label: "catalog-bench")
    logger.logLevel = .error

    let http = HTTPClient(
      configuration: .init(
        connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
    let directory = options.tlsDirectory
    let grpc = try RPCClientService(
      target: UpstreamTarget(parsing: "\(options.grpcHost):\(options.grpcPort)", etcd: nil),
      security: RPCSecurity(
        mode: .mutualTLS(
          caFile: "\(directory)/ca.pem", certificateFile: "\(directory)/bench.pem",
          keyFile: "\(directory)/bench-key.pem"))
    ).client
    var database = DatabaseConfiguration(database: "products")
    database.maxConnections = 20
    let postgres = PostgresClient(
      configuration: ProductServiceDeclaration.searchSettings(database.clientConfiguration()), backgroundLogger: logger)
    let uncached = ProductCatalog(store: PostgresProductStore(client: postgres, logger: logger), facetTTL: .zero)

    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await grpc.runConnections() }
      group.addTask { await postgres.run() }
      let products = Shop_Product_V1_ProductService.Client(wrapping: grpc)

      let mix = try await makeMix(products)
      let count = try await productCount(products)

      let gatewayURL = options.gateway
      @Sendable func viaGateway(_ search: Search) async throws {
        let response = try await http.execute(HTTPClientRequest(url: gatewayURL + search.path), timeout: .seconds(10))
        guard response.status == .ok else { throw HTTPClientError.invalidURL }
        _ = try await response.body.collect(upTo: 4 << 20)
      }
      @Sendable func viaGRPC(_ search: Search) async throws {
        _ = try await products.searchProducts(request(search))
      }
      @Sendable func viaSQL(_ search: Search) async throws {
        let v = search.value
        let search = try ProductSearch(
          text: v["q"], categoryID: v["category"], minPrice: v["min_price"].flatMap { Int64($0) },
          maxPrice: v["max_price"].flatMap { Int64($0) }, inStockOnly: v["in_stock"] == "true", sort: v["sort"],
          limit: v["limit"].flatMap { Int($0) }, cursor: v["cursor"])
        // As the service runs it, but without the facet cache.
        _ = try await uncached.search(search)
      }

      // Warm the connections and caches.
      _ = try await run(mix, rate: 50, seconds: 2, viaGateway)
      let gateway = try await run(mix, rate: options.rate, seconds: options.seconds, viaGateway)
      let direct = try await run(mix, rate: options.rate, seconds: options.seconds, viaGRPC)
      let sql = try await run(mix, rate: options.rate, seconds: options.seconds, viaSQL)

      var ramp: [(Int, Latencies)] = []
      var rate = options.rate
      while rate <= 5000 {
        let result = try await run(mix, rate: rate, seconds: options.rampSeconds, viaGateway)
        ramp.append((rate, result))
        if result.p95 > 100 || result.errors > 0 { break }
        rate = rate * 3 / 2
      }
      let sustained = ramp.last(where: { $0.1.p95 <= 100 && $0.1.errors == 0 })?.0 ?? 0

      print("product search, \(count) products, open loop at \(options.rate)/s for \(options.seconds) s")
      print(pad("path", 12) + pad("p50 ms", 10) + pad("p95 ms", 10) + pad("p99 ms", 10) + pad("errors", 8))
      for (name, l) in [("gateway", gateway), ("grpc", direct), ("sql*", sql)] {
        print(pad(name, 12) + pad(fmt(l.p50), 10) + pad(fmt(l.p95), 10) + pad(fmt(l.p99), 10) + pad("\(l.errors)", 8))
      }
      print("* the service's queries straight to PostgreSQL, facets counted on every search (no cache)")
      print("ramp through the gateway (\(options.rampSeconds) s per step):")
      for (rate, l) in ramp {
        print("  \(pad("\(rate)/s", 10)) p95 \(fmt(l.p95)) ms, errors \(l.errors)")
      }
      print(
        #"{"products": \#(count), "rate_per_s": \#(options.rate), "gateway_search_p50_ms": \#(fmt(gateway.p50)), "gateway_search_p95_ms": \#(fmt(gateway.p95)), "grpc_search_p95_ms": \#(fmt(direct.p95)), "sql_search_p95_ms": \#(fmt(sql.p95)), "max_search_rps": \#(sustained)}"#
      )
      group.cancelAll()
    }
    try await http.shutdown()
  }

  struct Latencies {
    var sorted: [Double]
    var errors: Int

    func percentile(_ p: Double) -> Double {
      guard !sorted.isEmpty else { return .infinity }
      return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    var p50: Double { percentile(0.5) }
    var p95: Double { percentile(0.95) }
    var p99: Double { percentile(0.99) }
  }

  /// Sends `rate` requests per second for `seconds`, each started at its scheduled time
  /// whatever the others are doing; latency counts from the scheduled start.
  static func run(
    _ mix: [Search], rate: Int, seconds: Int, _ send: @escaping @Sendable (Search) async throws -> Void
  ) async throws -> Latencies {
    let clock = ContinuousClock()
    let start = clock.now + .milliseconds(50)
    let total = rate * seconds
    let interval = Duration.seconds(1) / rate
    return await withTaskGroup(of: Double?.self) { group in
      for i in 0..<total {
        let scheduled = start + interval * i
        try? await Task.sleep(until: scheduled)
        let search = mix[i % mix.count]
        group.addTask {
          do {
            try await send(search)
            let elapsed = clock.now - scheduled
            return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
          } catch {
            return nil
          }
        }
      }
      var latencies: [Double] = []
      var errors = 0
      for await latency in group {
        if let latency { latencies.append(latency) } else { errors += 1 }
      }
      return Latencies(sorted: latencies.sorted(), errors: errors)
    }
  }

  /// Keyword, typo, filtered, faceted and paged searches over the seeded catalog.
  static func makeMix(_ products: Shop_Product_V1_ProductService.Client<HTTP2ClientTransport.Posix>) async throws
    -> [Search]
  {
    let categories = try await products.listCategories(.init()).items
    let leaves = categories.flatMap(\.children).map(\.id)
    let roots = categories.map(\.id)
    var mix: [Search] = []
    for word in ["laptop", "lamp", "backpack", "wireless headphones", "oak desk", "tent"] {
      mix.append(Search(query: [("q", word)]))
    }
    for typo in ["laptp", "hedphones", "backpak", "lantrn"] {
      mix.append(Search(query: [("q", typo)]))
    }
    for (i, leaf) in leaves.prefix(6).enumerated() {
      mix.append(
        Search(query: [
          ("category", leaf), ("min_price", "\(1000 * i)"), ("max_price", "\(20000 + 1000 * i)"), ("in_stock", "true"),
          ("sort", "price_asc"),
        ]))
    }
    for root in roots {
      mix.append(Search(query: [("category", root), ("sort", "newest")]))
    }
    // Second pages, with cursors taken from a first page.
    for root in roots.prefix(2) {
      var first = Shop_Product_V1_SearchProductsRequest()
      first.categoryID = root
      first.sort = "price_desc"
      let page = try await products.searchProducts(first)
      if !page.nextCursor.isEmpty {
        mix.append(Search(query: [("category", root), ("sort", "price_desc"), ("cursor", page.nextCursor)]))
      }
    }
    return mix
  }

  static func request(_ search: Search) -> Shop_Product_V1_SearchProductsRequest {
    var request = Shop_Product_V1_SearchProductsRequest()
    let v = search.value
    request.query = v["q"] ?? ""
    if let category = v["category"] { request.categoryID = category }
    if let min = v["min_price"].flatMap({ Int64($0) }) { request.minPrice = min }
    if let max = v["max_price"].flatMap({ Int64($0) }) { request.maxPrice = max }
    request.inStock = v["in_stock"] == "true"
    request.sort = v["sort"] ?? ""
    request.cursor = v["cursor"] ?? ""
    return request
  }

  static func productCount(_ products: Shop_Product_V1_ProductService.Client<HTTP2ClientTransport.Posix>) async throws
    -> Int
  {
    var request = Shop_Product_V1_SearchProductsRequest()
    request.limit = 1
    let page = try await products.searchProducts(request)
    return Int(page.priceFacets.reduce(0) { $0 + $1.count })
  }

  static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
  }
}
