import AsyncHTTPClient
import Logging
import NIOCore

/// What `shop traffic` and `shop traffic run` share: the virtual customers (each with an HTTP
/// client of its own, so a keep-alive connection of its own through the edge), the
/// administrator, and the engine that gives them sessions.
public final class LoadGenerator: Sendable {
  public let engine: TrafficEngine
  let configuration: TrafficConfiguration
  let customers: [VirtualUser]
  let admin: VirtualUser?
  let clients: [HTTPClient]
  let logger: Logger

  /// How long a customer watches an order's event stream, in seconds.
  static let watch = 2.0...4.0

  public init(configuration: TrafficConfiguration, users: Int, settings: TrafficSettings, logger: Logger) {
    self.configuration = configuration
    self.logger = logger
    let stats = TrafficStats()
    engine = TrafficEngine(settings: settings, slo: configuration.slo, stats: stats)
    var clients: [HTTPClient] = []
    func api() -> ShopAPI {
      // One connection for requests and one for an event stream, both kept alive.
      let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: .init(
          timeout: .init(connect: .seconds(5)),
          connectionPool: .init(idleTimeout: .seconds(300), concurrentHTTP1ConnectionsPerHostSoftLimit: 2)))
      clients.append(client)
      return ShopAPI(http: client, base: configuration.target, stats: stats, timeout: configuration.timeout)
    }
    customers = (0..<users).map {
      VirtualUser(email: configuration.email($0), password: configuration.password, api: api())
    }
    admin = configuration.adminPassword.map {
      VirtualUser(email: configuration.adminEmail, password: $0, api: api())
    }
    self.clients = clients
  }

  /// Makes the accounts ready, logs everyone in and reads the catalog; the customers then
  /// take sessions.
  func prepare() async throws(TrafficError) -> JourneyRunner {
    try await AccountSetup.prepare(customers)
    try await admin?.logIn()
    let reader = admin ?? customers[0]
    let catalog = try await Catalog.load(through: reader.api, token: try await reader.token())
    engine.add(customers)
    let engine = self.engine
    return JourneyRunner(
      catalog: catalog, cards: configuration.cards, think: configuration.think, restock: RestockList(),
      watch: Self.watch, proceeds: { engine.proceeds })
  }

  /// Runs sessions until the engine is stopped.
  func run(_ runner: JourneyRunner) async {
    await engine.run(runner: runner, admin: admin)
  }

  /// Closes every connection.
  func shutdown() async {
    for client in clients {
      try? await client.shutdown()
    }
  }
}
