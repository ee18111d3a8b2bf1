import Configuration
import Foundation
import GRPCCore
import Logging
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
}
