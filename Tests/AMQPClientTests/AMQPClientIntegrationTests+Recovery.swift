import AMQPProtocol
import Foundation
import Logging
import NIOCore
import ShopTestSupport
import Testing

@testable import AMQPClient

extension AMQPClientIntegrationTests {
  @Test func closingAllConnectionsLosesNoConfirmedMessage() async throws {
    try await confirmedMessagesSurvive(queue: prefix + "closed") {
      let status = try await Infra.script("rabbitmqctl", "close_all_connections", "closed by the tests").status
      #expect(status == 0)
    }
  }

  @Test func restartingTheBrokerLosesNoConfirmedMessage() async throws {
    try await confirmedMessagesSurvive(queue: prefix + "restarted") {
      let status = try await Infra.script("ctl", "restart", "rabbitmq").status
      #expect(status == 0)
    }
  }

  @Test func recoveryDeclaresTransientTopologyAgain() async throws {
    let exchange = prefix + "transient"
    try await Self.withConnection(disruptive: true) { (connection: AMQPConnection) async throws in
      var events = connection.events.makeAsyncIterator()
      #expect(await events.next() == .connected)
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.exchangeDeclare(exchange, type: "topic", durable: false, autoDelete: true)
      // A server-named exclusive queue goes with the connection that declared it.
      let queue = try await channel.queueDeclare("", durable: false, exclusive: true, autoDelete: true).queue
      try await channel.queueBind(queue, exchange: exchange, routingKey: "order.*")
      var deliveries = try await channel.consume(queue: queue).makeAsyncIterator()
      try await channel.publish(
        ByteBuffer(string: "before"), exchange: exchange, routingKey: "order.created", mandatory: true)
      let early = try await deliveries.next()

      let status = try await Infra.script("rabbitmqctl", "close_all_connections", "closed by the tests").status
      #expect(status == 0)
      while let event = await events.next(), event != .recovered {}
      // A delivery of the lost connection cannot be acknowledged on the new one.
      #expect { try early?.ack() } throws: { ($0 as? AMQPError)?.code == .connectionLost }

      // Routed through the binding to the queue declared again, to the resumed consumer.
      try await channel.publish(
        ByteBuffer(string: "after recovery"), exchange: exchange, routingKey: "order.created", mandatory: true)
      let late = try await deliveries.next()
      try late?.ack()
      #expect(late.map { String(buffer: $0.body) } == "after recovery")
    }
  }

  @Test func aDeclarationTheBrokerNowRefusesIsSkippedAndTheRestRestored() async throws {
    let exchange = prefix + "kept"
    let changed = prefix + "changed"
    let configuration = try Self.configuration()
    try await Self.withConnection(disruptive: true) { (connection: AMQPConnection) async throws in
      var events = connection.events.makeAsyncIterator()
      #expect(await events.next() == .connected)
      let channel = try await connection.openChannel()
      try await channel.queueDeclare(changed, arguments: AMQPQueueArguments(maxLength: 10).table)
      try await channel.exchangeDeclare(exchange, type: "topic", durable: false, autoDelete: true)
      let queue = try await channel.queueDeclare("", durable: false, exclusive: true, autoDelete: true).queue
      try await channel.queueBind(queue, exchange: exchange, routingKey: "#")
      var deliveries = try await channel.consume(queue: queue, noAck: true).makeAsyncIterator()

      // Someone else re-creates the first queue with other arguments, so that declaring it as
      // recorded is refused (406) when the connection recovers.
      let other = AMQPConnection(configuration: configuration, logger: Logger(label: "test.amqp.other"))
      try await AMQPConnection.withRunning(other) {
        let channel = try await other.openChannel()
        try await channel.queueDelete(changed)
        try await channel.queueDeclare(changed, arguments: AMQPQueueArguments(maxLength: 20).table)
        try await channel.close()
      }

      #expect(try await Infra.script("rabbitmqctl", "close_all_connections", "closed by the tests").status == 0)
      while let event = await events.next(), event != .recovered {}
      // What came after the refused declaration is back: the exchange, the queue, the binding.
      try await channel.publish(
        ByteBuffer(string: "after recovery"), exchange: exchange, routingKey: "x", mandatory: true)
      #expect(try await deliveries.next().map { String(buffer: $0.body) } == "after recovery")
      // And the refused queue is the other one's: it holds up to 20 messages, not 10. Each
      // is confirmed once the queue holds it: the broker answers a count ahead of messages
      // the queue has not taken in yet.
      try await channel.confirmSelect()
      for index in 0..<15 {
        try await channel.publish(ByteBuffer(string: "\(index)"), exchange: "", routingKey: changed, mandatory: true)
      }
      #expect(try await channel.queueDeclarePassive(changed).messageCount == 15)
      try await channel.queueDelete(changed)
    }
  }

  /// Publishes a stream of persistent messages, retrying the ones whose confirmation the
  /// disruption interrupted, while a consumer takes them; every confirmed message must arrive.
  func confirmedMessagesSurvive(queue: String, disruption: @escaping @Sendable () async throws -> Void) async throws {
    let total = 2000
    try await Self.withConnection(limit: .seconds(150), disruptive: true) { (connection: AMQPConnection) async throws in
      let events = Locked<[AMQPConnectionEvent]>([])
      let consumed = Locked(Set<Int>())
      let publisher = try await connection.openChannel()
      try await publisher.confirmSelect()
      try await publisher.queueDeclare(queue, durable: true)
      let consumerChannel = try await connection.openChannel()
      try await consumerChannel.qos(prefetchCount: 50)
      let consumer = try await consumerChannel.consume(queue: queue)

      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          for await event in connection.events { events.withLock { $0.append(event) } }
        }
        group.addTask {
          for try await delivery in consumer {
            _ = consumed.withLock { $0.insert(Int(String(buffer: delivery.body))!) }
            // A delivery from before the disruption cannot be acknowledged; the broker has
            // put it back and delivers it again.
            try? delivery.ack()
          }
        }
        var confirmed: [Int] = []
        var failed = 0
        var id = 0
        while confirmed.count < total {
          if id == total / 4 { group.addTask { try await disruption() } }
          do {
            try await publisher.publish(
              ByteBuffer(string: "\(id)"), routingKey: queue, properties: Self.persistent(id: id))
            confirmed.append(id)
          } catch let error as AMQPError where error.isRetryable {
            failed += 1
          }
          id += 1
        }
        let expected = Set(confirmed)
        while !consumed.withLock({ expected.isSubset(of: $0) }) {
          try await Task.sleep(for: .milliseconds(20))
        }
        while !events.withLock({ $0.contains(.recovered) }) {
          try await Task.sleep(for: .milliseconds(20))
        }
        group.cancelAll()
        #expect(failed < 200, "publishes failed while the connection was away: \(failed)")
      }
      #expect(events.withLock { $0.contains { if case .disconnected = $0 { true } else { false } } })
      try await publisher.queueDelete(queue)
    }
  }

  @Test func memoryAlarmBlocksAndUnblocksPublishing() async throws {
    let queue = prefix + "alarm"
    try await Self.withConnection(limit: .seconds(90), disruptive: true) { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.queueDeclare(queue, durable: false)
      var events = connection.events.makeAsyncIterator()
      #expect(await events.next() == .connected)

      #expect(try await Infra.script("rabbitmqctl", "set_vm_memory_high_watermark", "0.000001").status == 0)
      // The broker announces the block when the connection next publishes. Nothing here
      // throws, so the alarm is always lifted below.
      await #expect {
        try await channel.publish(ByteBuffer(string: "held"), routingKey: queue, timeout: .seconds(2))
      } throws: { ($0 as? AMQPError)?.code == .timeout }
      #expect(await events.next() == .blocked(reason: "low on memory"))
      #expect(connection.isBlocked)
      _ = try? await Infra.script("rabbitmqctl", "set_vm_memory_high_watermark", "0.4")
      #expect(await events.next() == .unblocked)
      #expect(!connection.isBlocked)
      try await channel.publish(ByteBuffer(string: "free"), routingKey: queue, timeout: .seconds(10))
      try await channel.queueDelete(queue)
    }
  }
}
