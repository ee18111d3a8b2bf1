import AMQPProtocol
import Foundation
import Logging
import NIOCore
import ShopTestSupport
import Testing

@testable import AMQPClient

/// Against the real RabbitMQ of the local stack. Serialized: some tests restart the broker,
/// close its connections or raise a memory alarm.
@Suite(.serialized, .enabled(if: Infra.rabbitmq, "RabbitMQ is not reachable"))
struct AMQPClientIntegrationTests {
  let prefix = "test.amqp.\(UUID().uuidString.prefix(8))."

  static func configuration() throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: Infra.amqpURL + "?heartbeat=5")
    configuration.connectionName = "swiftshop-tests"
    configuration.recoveryBackoff = (.milliseconds(100), .milliseconds(500))
    configuration.operationTimeout = .seconds(30)
    return configuration
  }

  /// Runs `body` with a running connection, within `limit`, holding the broker shared, or
  /// alone when the test disrupts it.
  static func withConnection<T: Sendable>(
    limit: Duration = .seconds(90), disruptive: Bool = false,
    _ body: @escaping @Sendable (AMQPConnection) async throws -> T
  ) async throws -> T {
    let configuration = try configuration()
    let run: @Sendable () async throws -> T = {
      try await withDeadline(limit) {
        let connection = AMQPConnection(configuration: configuration, logger: Logger(label: "test.amqp"))
        return try await AMQPConnection.withRunning(connection) { try await body(connection) }
      }
    }
    return disruptive ? try await ServerLock.broker.disruptive(run) : try await ServerLock.broker.steady(run)
  }

  static func persistent(id: Int) -> AMQPBasicProperties {
    AMQPBasicProperties(deliveryMode: 2, messageID: "\(id)")
  }

  @Test func tenThousandConfirmedMessagesArriveInOrder() async throws {
    let queue = prefix + "stream"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let publisher = try await connection.openChannel()
      try await publisher.confirmSelect()
      try await publisher.queueDeclare(queue, durable: true)
      var pending: [AMQPPublishConfirmation] = []
      var confirmed = 0
      for id in 0..<10_000 {
        pending.append(
          try await publisher.startPublish(
            ByteBuffer(string: "\(id)"), routingKey: queue, properties: Self.persistent(id: id)))
        if pending.count - confirmed > 200 {
          try await pending[confirmed].confirmed()
          confirmed += 1
        }
      }
      for confirmation in pending[confirmed...] { try await confirmation.confirmed() }
      #expect(try await publisher.queueDeclarePassive(queue).messageCount == 10_000)

      let consumerChannel = try await connection.openChannel()
      try await consumerChannel.qos(prefetchCount: 100)
      var next = 0
      var outOfOrder = 0
      for try await delivery in try await consumerChannel.consume(queue: queue) {
        if String(buffer: delivery.body) != "\(next)" || delivery.properties.messageID != "\(next)" { outOfOrder += 1 }
        try delivery.ack()
        next += 1
        if next == 10_000 { break }
      }
      #expect(next == 10_000)
      #expect(outOfOrder == 0)
      #expect(try await publisher.queueDelete(queue) == 0)
    }
  }

  @Test func unroutableMandatoryMessageIsReturned() async throws {
    let queue = prefix + "routed"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.queueDeclare(queue, durable: false, autoDelete: true)
      let routed = try await channel.startPublish(ByteBuffer(string: "a"), routingKey: queue, mandatory: true)
      let lost = try await channel.startPublish(
        ByteBuffer(string: "b"), exchange: "amq.direct", routingKey: prefix + "nowhere", mandatory: true)
      let alsoRouted = try await channel.startPublish(ByteBuffer(string: "c"), routingKey: queue, mandatory: true)
      try await routed.confirmed()
      try await alsoRouted.confirmed()
      do {
        try await lost.confirmed()
        Issue.record("an unroutable mandatory message was confirmed as sent")
      } catch let error as AMQPError {
        #expect(error.code == .messageReturned)
        #expect(error.replyCode == 312)
        #expect(error.replyText == "NO_ROUTE")
      }
      // Without `mandatory` the broker drops it and confirms.
      try await channel.publish(ByteBuffer(string: "d"), exchange: "amq.direct", routingKey: prefix + "nowhere")
      #expect(try await channel.queueDeclarePassive(queue).messageCount == 2)
    }
  }

  @Test func deletingTheConsumedQueueEndsTheConsumerWithTheCancelError() async throws {
    let queue = prefix + "doomed"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.queueDeclare(queue, durable: false)
      let consumer = try await channel.consume(queue: queue)
      let other = try await connection.openChannel()
      try await other.queueDelete(queue)
      do {
        for try await _ in consumer {}
        Issue.record("the consumer ended normally")
      } catch let error as AMQPError {
        #expect(error.code == .consumerCancelled)
      }
      #expect(channel.isOpen)
    }
  }

  @Test func channelExceptionsCarryTheReplyCodeAndCloseOnlyTheirChannel() async throws {
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      await #expect { try await channel.queueDeclarePassive(prefix + "missing") } throws: { error in
        (error as? AMQPError)?.code == .channelClosed && (error as? AMQPError)?.replyCode == 404
      }
      #expect(!channel.isOpen)
      await #expect { try await channel.qos(prefetchCount: 1) } throws: { error in
        (error as? AMQPError)?.replyCode == 404
      }
      let other = try await connection.openChannel()
      // Closing the broken channel leaves alone the channel that took its number.
      #expect(other.number == channel.number)
      try await channel.close()
      #expect(other.isOpen)
      try await other.exchangeDeclare(prefix + "x", type: "fanout", durable: false, autoDelete: true)
      await #expect { try await other.exchangeDeclare(prefix + "x", type: "topic", durable: false) } throws: { error in
        (error as? AMQPError)?.replyCode == 406
      }
      let third = try await connection.openChannel()
      try await third.exchangeDelete(prefix + "x")
    }
  }

  @Test func leavingTheLoopCancelsTheConsumerAndRequeuesWhatItDidNotTake() async throws {
    let queue = prefix + "abandoned"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.queueDeclare(queue, durable: false)
      for id in 0..<10 { try await channel.publish(ByteBuffer(string: "\(id)"), routingKey: queue) }
      let consumerChannel = try await connection.openChannel()
      try await consumerChannel.qos(prefetchCount: 5)
      for try await delivery in try await consumerChannel.consume(queue: queue) {
        try delivery.ack()
        break
      }
      var state = try await channel.queueDeclarePassive(queue)
      while state.consumerCount > 0 || state.messageCount < 9 {
        try await Task.sleep(for: .milliseconds(20))
        state = try await channel.queueDeclarePassive(queue)
      }
      #expect(state.messageCount == 9)
      let first = try #require(try await channel.get(queue: queue))
      #expect(String(buffer: first.body) == "1")
      try first.ack()
      try await channel.queueDelete(queue)
    }
  }

  @Test func channelsBeyondTheNegotiatedMaximumAreRefusedUntilOneCloses() async throws {
    var limited = try Self.configuration()
    // The highest number stays free for recovery, so three allows two channels.
    limited.channelMax = 3
    let configuration = limited
    try await ServerLock.broker.steady {
      try await withDeadline(.seconds(30)) {
        let connection = AMQPConnection(configuration: configuration, logger: Logger(label: "test.amqp"))
        try await AMQPConnection.withRunning(connection) {
          let first = try await connection.openChannel()
          let second = try await connection.openChannel()
          do {
            _ = try await connection.openChannel()
            Issue.record("a third channel must be refused")
          } catch let error as AMQPError {
            #expect(error.code == .channelLimitReached && !error.isRetryable)
          }
          try await first.close()
          let third = try await connection.openChannel()
          #expect(third.number == first.number, "the freed number is used again")
          try await third.close()
          try await second.close()
        }
      }
    }
  }

  @Test func getAndTransactions() async throws {
    let queue = prefix + "tx"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.queueDeclare(queue, durable: false, autoDelete: false)
      #expect(try await channel.get(queue: queue) == nil)
      try await channel.txSelect()
      try await channel.publish(ByteBuffer(string: "rolled back"), routingKey: queue)
      try await channel.txRollback()
      try await channel.publish(ByteBuffer(string: "committed"), routingKey: queue)
      try await channel.txCommit()
      let delivery = try #require(try await channel.get(queue: queue))
      #expect(String(buffer: delivery.body) == "committed")
      try delivery.ack()
      try await channel.txCommit()
      #expect(try await channel.get(queue: queue) == nil)
      #expect(try await channel.queueDelete(queue) == 0)
    }
  }

  @Test func quorumQueueWithDeadLetteringAndDeliveryLimit() async throws {
    let queue = prefix + "quorum"
    let dead = prefix + "dead"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.queueDeclare(dead, durable: true)
      let arguments = AMQPQueueArguments(
        type: .quorum, deadLetterExchange: "", deadLetterRoutingKey: dead, deliveryLimit: 1)
      try await channel.queueDeclare(queue, durable: true, arguments: arguments.table)
      try await channel.publish(ByteBuffer(string: "poison"), routingKey: queue, properties: Self.persistent(id: 1))
      // Returned twice: the delivery limit of 1 then sends it to the dead-letter queue.
      for _ in 0..<2 {
        var delivery = try await channel.get(queue: queue)
        while delivery == nil {
          try await Task.sleep(for: .milliseconds(20))
          delivery = try await channel.get(queue: queue)
        }
        try delivery!.reject(requeue: true)
      }
      var deadLettered = try await channel.get(queue: dead)
      while deadLettered == nil {
        try await Task.sleep(for: .milliseconds(20))
        deadLettered = try await channel.get(queue: dead)
      }
      #expect(String(buffer: deadLettered!.body) == "poison")
      try deadLettered!.ack()
      try await channel.queueDelete(queue)
      try await channel.queueDelete(dead)
    }
  }
}
