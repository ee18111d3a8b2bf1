import AMQPClient
import AMQPProtocol
import Foundation
import Instrumentation
import PostgresNIO
import ServiceContextModule
import ShopContracts
import ShopMessaging
import ShopPersistence
import ShopTestSupport
import Synchronization
import Testing

/// The outbox, relay, inbox, retries and replay against the real PostgreSQL and RabbitMQ.
@Suite(.enabled(if: Infra.postgres && Infra.rabbitmq, "PostgreSQL or RabbitMQ is not reachable"))
struct ShopMessagingIntegrationTests {
  @Test func recordedEventsArriveOnceAsPersistentJSONWithTheirTraceContext() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).thing_happened"
      let (tap, tapQueue) = try await harness.tap(type)
      let consumer = harness.consumer("ledger", routingKeys: [type])
      try await harness.running([harness.relay(), consumer]) {
        var context = ServiceContext.topLevel
        context[TraceParentKey.self] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let traced = OutboxEvent(type: type, aggregateID: UUID(), aggregateVersion: 1, data: ["name": "traced"])
        try await ServiceContext.withValue(context) {
          try await harness.client.transaction(logger: harness.logger) { transaction in
            try await Outbox(source: "test-service").record(
              traced, in: transaction, logger: harness.logger, instrument: TraceParentInstrument())
          }
        }
        var ids: Set<UUID> = [traced.id]
        for _ in 0..<49 { ids.insert(try await harness.record(type: type)) }

        let delivered = try await harness.drain(tap, tapQueue, count: 50)
        #expect(Set(delivered.compactMap { $0.properties.messageID.flatMap(UUID.init) }) == ids)
        let first = try #require(delivered.first { $0.properties.messageID == traced.id.uuidString.lowercased() })
        #expect(first.properties.type == type)
        #expect(first.properties.contentType == "application/json")
        #expect(first.properties.deliveryMode == 2)
        #expect(first.properties.timestamp.map { abs(Double($0) - Date().timeIntervalSince1970) < 120 } == true)
        #expect(first.properties.headers?["traceparent"]?.stringValue == context[TraceParentKey.self])
        let envelope = try EventEnvelope(body: Data(first.body.readableBytesView))
        #expect(envelope.id == traced.id && envelope.type == type && envelope.source == "test-service")
        #expect(envelope.aggregateID == traced.aggregateID && envelope.aggregateVersion == 1)
        #expect(envelope.correlationID == traced.id.uuidString.lowercased())
        #expect(try envelope.data(as: [String: String].self) == ["name": "traced"])

        try await harness.until { try await harness.count("SELECT count(*) FROM ledger") == 50 }
        #expect(try await harness.count("SELECT count(DISTINCT event_id) FROM ledger") == 50)
        #expect(try await harness.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
      }
    }
  }

  @Test func aRelayStoppedBetweenConfirmAndMarkPublishesAgainAndTheEffectHappensOnce() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).crashy"
      let (tap, tapQueue) = try await harness.tap(type)
      let armed = Atomic(true)
      let relay = harness.relay { _ in
        if armed.exchange(false, ordering: .relaxed) {
          throw MessagingError(.faultInjected, "stopped after the confirm, before the mark")
        }
      }
      let consumer = harness.consumer("once", routingKeys: [type])
      try await harness.running([relay, consumer]) {
        let id = try await harness.record(type: type)
        let delivered = try await harness.drain(tap, tapQueue, count: 2)
        #expect(delivered.map(\.properties.messageID) == [id.uuidString.lowercased(), id.uuidString.lowercased()])
        try await harness.until {
          try await harness.count("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == 1
        }
        try await harness.until {
          try await harness.count("SELECT count(*) FROM processed_events") == 1
        }
        // The second copy reached the consumer too, and changed nothing.
        try await harness.until { consumer.outcomes[.duplicate] == 1 }
        #expect(consumer.outcomes[.processed] == 1)
        #expect(try await harness.count("SELECT count(*) FROM ledger") == 1)
      }
    }
  }

  @Test func twoRelaysOnOneOutboxPublishEveryEventOnce() async throws {
    try await MessagingHarness.with(limit: .seconds(180)) { harness in
      let type = "\(harness.prefix).shared"
      let (tap, tapQueue) = try await harness.tap(type)
      let first = harness.relay()
      let second = harness.relay()
      let total = 2000
      try await harness.running([first, second]) {
        try await withThrowingTaskGroup(of: Void.self) { group in
          for writer in 0..<8 {
            group.addTask {
              for index in 0..<(total / 8) {
                // Every writer's events belong to one aggregate, in version order.
                try await harness.record(
                  type: type, aggregateID: UUID(uuidString: "00000000-0000-0000-0000-00000000000\(writer)")!,
                  version: Int64(index + 1))
              }
            }
          }
          try await group.waitForAll()
        }
        let delivered = try await harness.drain(tap, tapQueue, count: total)
        #expect(Set(delivered.compactMap(\.properties.messageID)).count == total)
        #expect(try await harness.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
        #expect(first.published > 0 && second.published > 0)
        // Every confirmed publish is counted, so no event was published twice.
        #expect(first.published + second.published == Int64(total))
        // Each aggregate's versions left in order.
        var lastVersion: [UUID: Int64] = [:]
        var outOfOrder = 0
        for delivery in delivered {
          let event = try EventEnvelope(body: Data(delivery.body.readableBytesView))
          if event.aggregateVersion <= lastVersion[event.aggregateID, default: 0] { outOfOrder += 1 }
          lastVersion[event.aggregateID] = event.aggregateVersion
        }
        #expect(outOfOrder == 0)
      }
    }
  }

  @Test func anEventOfATransactionThatCommitsLateIsPublished() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).late"
      let (tap, tapQueue) = try await harness.tap(type)
      try await harness.running([harness.relay()]) {
        let lateID = UUID()
        let recordedA = AsyncStream.makeStream(of: Void.self)
        let commitA = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            try await harness.client.transaction(logger: harness.logger) { transaction in
              let event = OutboxEvent(
                id: lateID, type: type, aggregateID: UUID(), aggregateVersion: 1, data: ["n": "a"])
              try await Outbox(source: "test-service").record(event, in: transaction, logger: harness.logger)
              recordedA.continuation.yield()
              for await _ in commitA.stream { break }
            }
          }
          for await _ in recordedA.stream { break }
          let earlyID = try await harness.record(type: type)
          let early = try await harness.drain(tap, tapQueue, count: 1)
          #expect(early.map(\.properties.messageID) == [earlyID.uuidString.lowercased()])
          commitA.continuation.yield()
          try await group.waitForAll()
        }
        let late = try await harness.drain(tap, tapQueue, count: 1)
        #expect(late.map(\.properties.messageID) == [lateID.uuidString.lowercased()])
      }
    }
  }

  @Test func aHandlerThatAlwaysFailsIsRetriedWithGrowingDelaysThenDeadLetteredAndRetriedFromThere() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).poison"
      let attempts = Mutex<[ContinuousClock.Instant]>([])
      let broken = Atomic(true)
      let consumer = harness.consumer(
        "poison", routingKeys: [type],
        retryDelays: [.milliseconds(300), .milliseconds(900), .milliseconds(2700)],
        fail: { _ in
          attempts.withLock { $0.append(.now) }
          return broken.load(ordering: .relaxed)
        })
      try await harness.running([harness.relay(), consumer]) {
        let id = try await harness.record(type: type)
        let dlq = try DeadLetterQueue(queue: consumer.topology.queue, amqp: harness.amqp)
        var entries: [DeadLetterQueue.Entry] = []
        while entries.isEmpty {
          try await Task.sleep(for: .milliseconds(50))
          entries = try await dlq.list()
        }
        let times = attempts.withLock { $0 }
        #expect(times.count == 4)  // the first attempt and three retries
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(gaps.count == 3)
        for (gap, delay) in zip(gaps, [Duration.milliseconds(300), .milliseconds(900), .milliseconds(2700)]) {
          #expect(gap >= delay, "retried after \(gap), before its delay \(delay)")
        }
        // Each retry waited at least its own, longer delay; how much later than that the
        // broker expired it depends on the machine's load, so the gaps themselves need not grow.
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.messageID == id.uuidString.lowercased())
        #expect(entry.retries == 3)
        #expect(entry.error?.contains("HandlerFailure") == true)
        // The broker's history: the event expired once from each retry queue back into its queue.
        #expect(entry.deaths.filter { $0.reason == "expired" }.count == 3)
        #expect(try await harness.count("SELECT count(*) FROM ledger") == 0)

        broken.store(false, ordering: .relaxed)
        // The requeue of what `list` looked at reaches the quorum queue's count a moment
        // later; until then there is nothing to move.
        try await harness.until { try await dlq.retry() == 1 }
        try await harness.until { try await harness.count("SELECT count(*) FROM ledger") == 1 }
        #expect(try await dlq.list().isEmpty)
        #expect(consumer.outcomes[.deadLettered] == 1 && consumer.outcomes[.processed] == 1)
      }
    }
  }

  @Test func eventsThatWaitAreHandledInOneTransactionAndAFailureThereRetriesOnlyItsOwnEvent() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).batched"
      let slow = Mutex<Set<UUID>>([])
      let poisoned = Mutex<[UUID: Int]>([:])  // failures still to come
      let transactions = Mutex<[UUID: Int64]>([:])
      let consumer = EventConsumer(
        queue: "\(harness.prefix).batched", routingKeys: [type], client: harness.client, amqp: harness.amqp,
        options: .init(prefetch: 100, concurrency: 1, batchSize: 50, retryDelays: [.milliseconds(200)]),
        logger: harness.logger
      ) { event, context in
        // The first event of each round holds the only handler while the others queue up.
        if slow.withLock({ $0.remove(event.id) }) != nil { try await Task.sleep(for: .milliseconds(300)) }
        let fails = poisoned.withLock { failures -> Bool in
          guard let left = failures[event.id], left > 0 else { return false }
          failures[event.id] = left - 1
          return true
        }
        if fails { throw MessagingHarness.HandlerFailure(event: event.id) }
        for try await id in try await context.transaction.query("SELECT txid_current()", logger: context.logger).decode(
          Int64.self)
        {
          transactions.withLock { $0[event.id] = id }
        }
        try await context.transaction.query(
          "INSERT INTO ledger VALUES (\(event.id), \(event.aggregateID), \(event.aggregateVersion))",
          logger: context.logger)
      }
      try await harness.running([consumer]) {
        let channel = try await harness.amqp.openChannel()
        try await channel.confirmSelect()
        func publishRound(poison: Bool) async throws -> [UUID] {
          let events = (0..<21).map { _ in
            OutboxEvent(type: type, aggregateID: UUID(), aggregateVersion: 1, data: ["n": "x"])
          }
          slow.withLock { _ = $0.insert(events[0].id) }
          // Fails in the batch and again alone, then succeeds after its retry.
          if poison { poisoned.withLock { $0[events[10].id] = 2 } }
          for event in events {
            try await channel.publish(
              try event.envelope(source: "test-service"), routingKey: consumer.topology.queue, mandatory: true)
          }
          return events.map(\.id)
        }
        let first = try await publishRound(poison: false)
        try await harness.until { try await harness.count("SELECT count(*) FROM ledger") == 21 }
        let perTransaction = Dictionary(grouping: first.compactMap { id in transactions.withLock { $0[id] } }) { $0 }
        #expect(perTransaction.values.map(\.count).max() ?? 0 > 1, "no two events shared a transaction")

        _ = try await publishRound(poison: true)
        try await harness.until { try await harness.count("SELECT count(*) FROM ledger") == 42 }
        try await harness.until { consumer.outcomes[.processed] == 42 }
        #expect(try await harness.count("SELECT count(DISTINCT event_id) FROM ledger") == 42)
        #expect(consumer.outcomes[.retried] == 1)
        #expect(consumer.outcomes[.duplicate] == nil && consumer.outcomes[.deadLettered] == nil)
      }
    }
  }

  @Test func anEventGivenBackUnansweredPastTheDeliveryLimitIsDeadLettered() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).crashing"
      let consumer = harness.consumer("limit", routingKeys: [type])
      try await harness.running([consumer]) {}  // declares its queues, then stops
      let channel = try await harness.amqp.openChannel()
      try await channel.confirmSelect()
      let event = OutboxEvent(type: type, aggregateID: UUID(), aggregateVersion: 1, data: ["n": "x"])
      try await channel.publish(
        try event.envelope(source: "test-service"), routingKey: consumer.topology.queue, mandatory: true,
        properties: AMQPBasicProperties(messageID: event.id.uuidString.lowercased()))
      // A consumer that dies while handling it: the broker gets it back unanswered each time.
      var deliveries = 0
      while let delivery = try await channel.get(queue: consumer.topology.queue) {
        deliveries += 1
        try delivery.reject(requeue: true)
      }
      #expect(deliveries == consumer.topology.deliveryLimit + 1)
      let dlq = try DeadLetterQueue(queue: consumer.topology.queue, amqp: harness.amqp)
      var entries: [DeadLetterQueue.Entry] = []
      while entries.isEmpty {
        try await Task.sleep(for: .milliseconds(20))
        entries = try await dlq.list()
      }
      #expect(entries.map(\.messageID) == [event.id.uuidString.lowercased()])
      #expect(entries.first?.deaths.map(\.reason) == ["delivery_limit"])
      #expect(try await dlq.purge() == 1)
    }
  }

  /// A producer newer than its consumer: the event waits in the dead-letter queue with the
  /// reason, without retries, instead of being read by a guess.
  @Test func anEventOfASchemaVersionTheConsumerDoesNotKnowIsDeadLetteredAtOnce() async throws {
    try await MessagingHarness.with { harness in
      let consumer = EventConsumer(
        queue: "\(harness.prefix).stock", routingKeys: [InventoryLowStock.type], client: harness.client,
        amqp: harness.amqp, options: .init(retryDelays: [.milliseconds(200)]), logger: harness.logger
      ) { event, _ in
        _ = try event.decode(InventoryLowStock.self)
      }
      try await harness.running([harness.relay(), consumer]) {
        let newer = OutboxEvent(
          type: InventoryLowStock.type, schemaVersion: InventoryLowStock.schemaVersion + 1, aggregateID: UUID(),
          aggregateVersion: 1,
          data: InventoryLowStock(productID: "p", sku: "s", name: "n", available: 1, threshold: 2))
        try await harness.client.transaction(logger: harness.logger) { transaction in
          try await Outbox(source: "test-service").record(newer, in: transaction, logger: harness.logger)
        }
        let dlq = try DeadLetterQueue(queue: consumer.topology.queue, amqp: harness.amqp)
        var entries: [DeadLetterQueue.Entry] = []
        while !entries.contains(where: { $0.messageID == newer.id.uuidString.lowercased() }) {
          try await Task.sleep(for: .milliseconds(50))
          entries = try await dlq.list()
        }
        let entry = try #require(entries.first { $0.messageID == newer.id.uuidString.lowercased() })
        #expect(entry.retries == 0)
        #expect(entry.error?.contains("unknown_schema_version") == true)
        #expect(consumer.outcomes[.malformed] == 1 && consumer.outcomes[.retried] == nil)
        #expect(try await dlq.purge() >= 1)
      }
    }
  }

  @Test func replayingADayOfEventsChangesNoConsumersState() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).replayed"
      let consumer = harness.consumer("replay", routingKeys: [type])
      try await harness.running([harness.relay(), consumer]) {
        for _ in 0..<30 { try await harness.record(type: type) }
        try await harness.until { try await harness.count("SELECT count(*) FROM ledger") == 30 }
        let replay = try EventReplay(since: Date().addingTimeInterval(-24 * 3600))
        #expect(
          try await replay.run(client: harness.client, amqp: harness.amqp, logger: harness.logger)
            == EventReplay.Outcome(published: 30, unroutable: 0))
        try await harness.until { consumer.outcomes[.duplicate] == 30 }
        #expect(try await harness.count("SELECT count(*) FROM ledger") == 30)
        #expect(consumer.outcomes[.processed] == 30)

        // An event no queue is bound for is kept in shop.unrouted, and replay delivers it
        // to a consumer that binds later.
        let unbound = "\(harness.prefix).unbound"
        let kept = try await harness.record(type: unbound)
        try await harness.until {
          try await harness.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        #expect(try await harness.takeUnrouted(kept), "confirmed means kept by the broker, not dropped")
        let late = harness.consumer("late", routingKeys: [unbound])
        try await harness.running([late]) {
          let replay = try EventReplay(since: Date().addingTimeInterval(-3600), type: unbound)
          #expect(
            try await replay.run(client: harness.client, amqp: harness.amqp, logger: harness.logger)
              == EventReplay.Outcome(published: 1, unroutable: 0))
          try await harness.until { late.outcomes[.processed] == 1 }
        }
        #expect(try await harness.count("SELECT count(*) FROM ledger") == 31)

        // Straight to the consumer's queue, only the type asked for.
        let other = try EventReplay(
          since: Date().addingTimeInterval(-3600), type: "nothing.of.that.type", toQueue: consumer.topology.queue)
        #expect(try await other.run(client: harness.client, amqp: harness.amqp, logger: harness.logger).published == 0)
        let toQueue = try EventReplay(
          since: Date().addingTimeInterval(-3600), type: type, toQueue: consumer.topology.queue)
        #expect(
          try await toQueue.run(client: harness.client, amqp: harness.amqp, logger: harness.logger).published == 30)
        try await harness.until { consumer.outcomes[.duplicate] == 60 }
        #expect(try await harness.count("SELECT count(*) FROM ledger") == 31)
      }
    }
  }

  @Test func publishedEventsAreKeptForTheRetentionThenDeleted() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).kept"
      let (tap, tapQueue) = try await harness.tap(type)
      let relay = OutboxRelay(
        service: "test", client: harness.client, amqp: harness.amqp,
        options: .init(pollInterval: .milliseconds(200), retention: .seconds(5), heartbeatInterval: .milliseconds(500)),
        logger: harness.logger)
      try await harness.running([relay]) {
        try await harness.record(type: type)
        _ = try await harness.drain(tap, tapQueue, count: 1)
        // Published and still there for a replay, until the retention has passed.
        try await harness.until {
          try await harness.count("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == 1
        }
        try await harness.until { try await harness.count("SELECT count(*) FROM outbox") == 0 }
        // The count reaches the status with the next heartbeat, which on a busy machine can
        // come after the retention's deletion.
        try await harness.until {
          try await OutboxStatus.read(harness.client, logger: harness.logger).relays.first?.published == 1
        }
        let status = try await OutboxStatus.read(harness.client, logger: harness.logger)
        #expect(status.backlog.count == 0 && status.backlog.oldestAge == nil)
        #expect(status.relays.map(\.instance) == [relay.instance])
      }
    }
  }

  @Test func aProjectionKeyedOnVersionKeepsTheNewestWhenEventsArriveOutOfOrder() async throws {
    try await MessagingHarness.with { harness in
      let type = "\(harness.prefix).renamed"
      let aggregate = UUID()
      let consumer = harness.consumer(
        "projection", routingKeys: [type],
        effect: { event, context in
          guard
            try await context.advance(projection: "names", aggregateID: event.aggregateID, to: event.aggregateVersion)
          else { return }
          let name = try event.data(as: [String: String].self)["name"] ?? ""
          try await context.transaction.query(
            """
            INSERT INTO projection VALUES (\(event.aggregateID), \(event.aggregateVersion), \(name))
            ON CONFLICT (aggregate_id) DO UPDATE SET version = EXCLUDED.version, name = EXCLUDED.name
            """,
            logger: context.logger)
        })
      try await harness.running([consumer]) {
        let channel = try await harness.amqp.openChannel()
        try await channel.confirmSelect()
        for version in [3, 1, 2] as [Int64] {
          let event = OutboxEvent(
            type: type, aggregateID: aggregate, aggregateVersion: version, data: ["name": "v\(version)"])
          try await channel.publish(
            try event.envelope(source: "test-service"), routingKey: consumer.topology.queue, mandatory: true)
        }
        try await harness.until { consumer.outcomes[.processed] == 3 }
        var rows: [(Int64, String)] = []
        for try await row in try await harness.client.query(
          "SELECT version, name FROM projection WHERE aggregate_id = \(aggregate)", logger: harness.logger
        ).decode((Int64, String).self) {
          rows.append(row)
        }
        #expect(rows.count == 1 && rows.first?.0 == 3 && rows.first?.1 == "v3")
      }
    }
  }
}

enum TraceParentKey: ServiceContextKey {
  typealias Value = String
  static let nameOverride: String? = "traceparent"
}

/// Carries the `traceparent` of a context, standing in for the process's tracer.
struct TraceParentInstrument: Instrument {
  func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
  where Inject.Carrier == Carrier {
    if let value = context[TraceParentKey.self] { injector.inject(value, forKey: "traceparent", into: &carrier) }
  }

  func extract<Carrier, Extract: Extractor>(
    _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
  )
  where Extract.Carrier == Carrier {
    context[TraceParentKey.self] = extractor.extract(key: "traceparent", from: carrier)
  }
}
