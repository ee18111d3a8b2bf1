import AsyncHTTPClient
import Configuration
import Foundation
import GRPCCore
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import Prometheus
import ServiceLifecycle
import ShopAuth
import ShopConfiguration
import ShopMessaging
import ShopPersistence
import ShopRPC
import ShopServiceHost
import ShopTestSupport
import Synchronization
import Testing

/// The host against the real PostgreSQL and RabbitMQ: a service's own parts start only on a
/// migrated database and stop while the shared clients still work.
@Suite(.enabled(if: Infra.postgres && Infra.rabbitmq, "PostgreSQL or RabbitMQ is not reachable"))
struct ServiceHostTests {
  /// What the probe service saw of the database when it started and when it was asked to stop.
  final class Journal: Sendable {
    let entries = Mutex<[String]>([])
    let consumers = Mutex<[EventConsumer]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
  }

  /// A service with one table of its own and one long-lived part that uses the database at
  /// both ends of its life.
  struct Probe: ServiceDeclaration {
    static let name = "probe"
    static let defaults = ServiceDefaults(grpcPort: 0, adminPort: 0, databaseName: "unused")

    static func migrations() throws -> [Migration] {
      [Migration(version: 1, name: "probe", sql: "CREATE TABLE probe (id int PRIMARY KEY)")]
        + [try EventSchema.migration(version: 2)]
    }

    let journal: Journal

    init(config: ConfigReader) throws { journal = Journal() }
    init(journal: Journal) { self.journal = journal }

    func parts(_ resources: ServiceResources) async throws -> ServiceParts {
      let consumer = resources.consumer(
        queue: "test.host.\(UUID().uuidString.prefix(8).lowercased())", routingKeys: ["test.host.nothing"]
      ) { _, _ in }
      journal.consumers.withLock { $0.append(consumer) }
      return ServiceParts(
        rpcServices: [], accessPolicy: AccessPolicy(service: .init(fullyQualifiedService: "test.Probe"), rules: [:]),
        tokenKeys: { JWKSDocument(keys: []) },
        consumers: [consumer], services: [Worker(postgres: resources.postgres, journal: journal)])
    }
  }

  struct Worker: Service {
    let postgres: PostgresClient
    let journal: Journal

    func run() async throws {
      let logger = Logger(label: "test.host")
      let rows = try await postgres.query("SELECT count(*)::int FROM probe", logger: logger)
      for try await count in rows.decode(Int.self) { journal.add("started, probe has \(count) rows") }
      try? await gracefulShutdown()
      // Still answered: the database client stops only after the service's own parts.
      let after = try await postgres.query("SELECT 1::int", logger: logger)
      for try await one in after.decode(Int.self) { journal.add("stopping, database answers \(one)") }
    }
  }

  /// The service's parts (its worker and its consumer) run once the database is migrated, and
  /// stop while the database client still answers.
  @Test func partsStartOnAMigratedDatabaseAndStopBeforeTheSharedClients() async throws {
    let logger = Logger(label: "test.host")
    let name = "test_host_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    let config = ShopConfig.reader(
      arguments: [
        "--database-host", Infra.postgresHost, "--database-port", "\(Infra.postgresPort)", "--database-name", name,
        "--amqp-url", Infra.amqpURL, "--grpc-port", "0", "--admin-port", "0", "--tls-plaintext", "true",
      ], environment: [:])
    let journal = Journal()
    let group = try await ServiceHost.group(
      Probe(journal: journal),
      configuration: try ServiceHostConfiguration(config: config, name: Probe.name, defaults: Probe.defaults),
      registry: PrometheusCollectorRegistry(), logger: logger)
    do {
      try await withDeadline(.seconds(60)) {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
          tasks.addTask { try await group.run() }
          while journal.all.isEmpty || !journal.consumers.withLock({ $0.allSatisfy(\.isConsuming) }) {
            try await Task.sleep(for: .milliseconds(20))
          }
          await group.triggerGracefulShutdown()
          try await tasks.waitForAll()
        }
      }
    } catch {
      try? await DatabaseBootstrap.dropDatabase(TestDatabase.configuration(name: name), logger: logger)
      throw error
    }
    try await DatabaseBootstrap.dropDatabase(TestDatabase.configuration(name: name), logger: logger)
    #expect(journal.all == ["started, probe has 0 rows", "stopping, database answers 1"])
  }

  /// A service that speaks HTTP only, like the payment sandbox: no events, no RPC services.
  struct WebOnly: ServiceDeclaration {
    static let name = "probe-web"
    static let defaults = ServiceDefaults(grpcPort: 0, adminPort: 0, databaseName: "unused")
    static let usesEvents = false

    static func migrations() throws -> [Migration] {
      [Migration(version: 1, name: "greeting", sql: "CREATE TABLE greeting AS SELECT 'hello'::text AS text")]
    }

    init(config: ConfigReader) throws {}

    func parts(_ resources: ServiceResources) async throws -> ServiceParts {
      let postgres = resources.postgres
      return ServiceParts(
        httpRoutes: { router in
          router.get("greeting") { _, _ -> String in
            let rows = try await postgres.query("SELECT text FROM greeting", logger: Logger(label: "test.host"))
            for try await text in rows.decode(String.self) { return text }
            return ""
          }
        })
    }
  }

  /// Without events and RPC services the host needs no broker and opens no gRPC listener; the
  /// service's routes answer on the admin listener beside its health, which checks PostgreSQL
  /// alone.
  @Test func anHTTPServiceNeedsNoBrokerAndServesItsRoutesBesideItsHealth() async throws {
    let logger = Logger(label: "test.host")
    let name = "test_host_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    let (admin, grpc) = (try freeLoopbackPort(), try freeLoopbackPort())
    let config = ShopConfig.reader(
      arguments: [
        "--database-host", Infra.postgresHost, "--database-port", "\(Infra.postgresPort)", "--database-name", name,
        "--amqp-url", "amqp://guest:guest@127.0.0.1:1", "--grpc-port", "\(grpc)", "--admin-port", "\(admin)",
        "--tls-plaintext", "true",
      ], environment: [:])
    let group = try await ServiceHost.group(
      WebOnly.self, config: config, registry: PrometheusCollectorRegistry(), logger: logger)
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    @Sendable func get(_ path: String) async throws -> (status: UInt, body: String) {
      let response = try await http.execute(
        HTTPClientRequest(url: "http://127.0.0.1:\(admin)\(path)"), timeout: .seconds(5))
      let body = try await response.body.collect(upTo: 1 << 16)
      return (response.status.code, String(buffer: body))
    }
    do {
      try await withDeadline(.seconds(60)) {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
          tasks.addTask { try await group.run() }
          // Served once migrations have run, with no broker anywhere.
          while (try? await get("/greeting"))?.body != "hello" { try await Task.sleep(for: .milliseconds(50)) }
          let health = try await get("/health")
          #expect(health.status == 200 && health.body.contains("postgres") && !health.body.contains("rabbitmq"))
          await #expect(throws: (any Error).self, "no gRPC listener") {
            _ = try await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(grpc)/"), timeout: .seconds(2))
          }
          await group.triggerGracefulShutdown()
          try await tasks.waitForAll()
        }
      }
    } catch {
      try? await http.shutdown()
      try? await DatabaseBootstrap.dropDatabase(TestDatabase.configuration(name: name), logger: logger)
      throw error
    }
    try await http.shutdown()
    try await DatabaseBootstrap.dropDatabase(TestDatabase.configuration(name: name), logger: logger)
  }
}
