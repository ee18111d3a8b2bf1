import AMQPClient
import AMQPProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ShopAuth
import ShopMessaging
import ShopPersistence
import ShopTestSupport
import Testing

@testable import UserService

/// `user.registered` through the outbox, with the real broker stopped and started.
@Suite(.enabled(if: Infra.postgres && Infra.rabbitmq, "PostgreSQL or RabbitMQ is not reachable"))
struct UserRegisteredEventTests {
  @Test func registrationsWhileTheBrokerIsDownSucceedAndTheirEventsArriveOnceItIsBack() async throws {
    try await ServerLock.broker.disruptive {
      try await withDeadline(.seconds(300)) {
        try await Self.registrationsSurviveTheBrokerStopping()
      }
    }
  }

  static func registrationsSurviveTheBrokerStopping() async throws {
    let logger = Logger(label: "test.user.events")
    let issuer = await AccessTokenIssuer(key: try SigningKey.generate(), issuer: "swiftshop", audience: "swiftshop-api")
    try await TestDatabase.with(migrations: try UserServiceDeclaration.migrations()) { client, _ in
      let messaging = try ServiceMessaging(
        service: "user", client: client,
        configuration: MessagingConfiguration(
          amqpURL: Infra.amqpURL, relay: .init(pollInterval: .milliseconds(500), heartbeatInterval: .seconds(1))),
        logger: logger)
      let accounts = try await UserAccounts(
        store: PostgresUserStore(client: client, logger: logger), hasher: PasswordHasher(cost: 10), issuer: issuer)
      let group = ServiceGroup(
        services: [messaging.connection, messaging.relay], gracefulShutdownSignals: [], cancellationSignals: [],
        logger: logger)
      try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        defer { tasks.cancelAll() }
        // A durable queue of the test's own, so that it outlives the broker's restart.
        let tap = "test.user-registered.\(UUID().uuidString.prefix(8))"
        let channel = try await messaging.connection.openChannel()
        try await channel.exchangeDeclare(EventTopology.exchange, type: "topic", durable: true)
        try await channel.queueDeclare(tap, durable: true)
        try await channel.queueBind(tap, exchange: EventTopology.exchange, routingKey: "user.registered")

        #expect(try await Infra.script("ctl", "stop", "rabbitmq").status == 0)
        do {
          while messaging.connection.isConnected { try await Task.sleep(for: .milliseconds(20)) }
          #expect(throws: MessagingError.self) { try messaging.checkBroker() }  // health: degraded
          var registered: Set<String> = []
          for index in 0..<100 {
            let user = try await accounts.register(
              email: "event\(index)@example.com", password: "correct horse", name: "User \(index)")
            registered.insert(user.id.uuidString.lowercased())
          }
          #expect(registered.count == 100)
          #expect(try await Self.count(client, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 100)
          #expect(messaging.relay.phase == .waitingForBroker)

          #expect(try await Infra.script("ctl", "start", "rabbitmq").status == 0)
          let started = ContinuousClock.now
          var arrived: [String: Int] = [:]
          while arrived.filter({ registered.contains($0.key) }).count < 100 {
            guard ContinuousClock.now - started < .seconds(60) else { break }
            if let delivery = try? await channel.get(queue: tap, noAck: true, timeout: .seconds(5)) {
              #expect(delivery.properties.type == "user.registered")
              let event = try EventEnvelope(body: Data(delivery.body.readableBytesView))
              arrived[event.aggregateID.uuidString.lowercased(), default: 0] += 1
              if registered.contains(event.aggregateID.uuidString.lowercased()) {
                #expect(try event.data(as: [String: String].self)["email"]?.hasPrefix("event") == true)
              }
            } else {
              try await Task.sleep(for: .milliseconds(50))
            }
          }
          #expect(ContinuousClock.now - started < .seconds(60))
          let ours = arrived.filter { registered.contains($0.key) }
          #expect(ours.count == 100)
          #expect(ours.values.allSatisfy { $0 == 1 }, "an event arrived more than once")
          #expect(try await Self.count(client, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
          try await channel.queueDelete(tap)
        } catch {
          _ = try? await Infra.script("ctl", "start", "rabbitmq").status
          throw error
        }
        await group.triggerGracefulShutdown()
      }
    }
  }

  static func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
    for try await count in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return count }
    return 0
  }
}
