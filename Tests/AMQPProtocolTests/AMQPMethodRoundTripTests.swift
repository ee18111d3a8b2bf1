import AMQPProtocol
import NIOCore
import Testing

@Suite struct AMQPMethodRoundTripTests {
  static let arguments: AMQPTable = [
    "x-queue-type": "quorum", "x-max-priority": .uint8(9), "x-message-ttl": .int32(60_000),
  ]

  /// One value of every method, with every argument set away from its default.
  static let allMethods: [AMQPMethod] = [
    .connectionStart(
      .init(
        versionMajor: 0, versionMinor: 9,
        serverProperties: ["product": "RabbitMQ", "capabilities": .table(["publisher_confirms": true])],
        mechanisms: "PLAIN AMQPLAIN", locales: "en_US de_DE")),
    .connectionStartOk(
      .init(
        clientProperties: ["product": "swiftshop"], mechanism: "PLAIN",
        response: [0] + ascii("guest") + [0] + ascii("pw"),
        locale: "de_DE")),
    .connectionSecure(.init(challenge: [1, 2, 3, 0, 255])),
    .connectionSecureOk(.init(response: [9, 8, 7])),
    .connectionTune(.init(channelMax: 2047, frameMax: 131_072, heartbeat: 60)),
    .connectionTuneOk(.init(channelMax: 100, frameMax: 65_536, heartbeat: 30)),
    .connectionOpen(.init(virtualHost: "/production")),
    .connectionOpenOk,
    .connectionClose(.init(replyCode: 320, replyText: "CONNECTION_FORCED", classID: 50, methodID: 10)),
    .connectionCloseOk,
    .connectionBlocked(.init(reason: "low on memory")),
    .connectionUnblocked,
    .connectionUpdateSecret(.init(newSecret: ascii("new.jwt.token"), reason: "token refresh")),
    .connectionUpdateSecretOk,

    .channelOpen,
    .channelOpenOk,
    .channelFlow(.init(active: true)),
    .channelFlowOk(.init(active: false)),
    .channelClose(.init(replyCode: 404, replyText: "NOT_FOUND - no queue 'jobs'", classID: 60, methodID: 20)),
    .channelCloseOk,

    .exchangeDeclare(
      .init(
        exchange: "orders", type: "topic", passive: true, durable: true, autoDelete: true, internal: true, noWait: true,
        arguments: ["alternate-exchange": "unrouted"])),
    .exchangeDeclareOk,
    .exchangeDelete(.init(exchange: "orders", ifUnused: true, noWait: true)),
    .exchangeDeleteOk,
    .exchangeBind(
      .init(destination: "audit", source: "orders", routingKey: "order.*", noWait: true, arguments: arguments)),
    .exchangeBindOk,
    .exchangeUnbind(.init(destination: "audit", source: "orders", routingKey: "order.#", noWait: true)),
    .exchangeUnbindOk,

    .queueDeclare(
      .init(
        queue: "jobs", passive: true, durable: true, exclusive: true, autoDelete: true, noWait: true,
        arguments: arguments)),
    .queueDeclareOk(.init(queue: "amq.gen-abc", messageCount: 12, consumerCount: 3)),
    .queueBind(
      .init(queue: "jobs", exchange: "orders", routingKey: "order.created", noWait: true, arguments: arguments)),
    .queueBindOk,
    .queuePurge(.init(queue: "jobs", noWait: true)),
    .queuePurgeOk(.init(messageCount: 42)),
    .queueDelete(.init(queue: "jobs", ifUnused: true, ifEmpty: true, noWait: true)),
    .queueDeleteOk(.init(messageCount: 7)),
    .queueUnbind(.init(queue: "jobs", exchange: "orders", routingKey: "order.created", arguments: arguments)),
    .queueUnbindOk,

    .basicQos(.init(prefetchSize: 65_536, prefetchCount: 250, global: true)),
    .basicQosOk,
    .basicConsume(
      .init(
        queue: "jobs", consumerTag: "worker-1", noLocal: true, noAck: true, exclusive: true, noWait: true,
        arguments: ["x-priority": .int32(5)])),
    .basicConsumeOk(.init(consumerTag: "amq.ctag-xyz")),
    .basicCancel(.init(consumerTag: "worker-1", noWait: true)),
    .basicCancelOk(.init(consumerTag: "worker-1")),
    .basicPublish(.init(exchange: "orders", routingKey: "order.created", mandatory: true, immediate: true)),
    .basicReturn(.init(replyCode: 312, replyText: "NO_ROUTE", exchange: "orders", routingKey: "nowhere")),
    .basicDeliver(
      .init(
        consumerTag: "worker-1", deliveryTag: 0x0102_0304_0506_0708, redelivered: true, exchange: "orders",
        routingKey: "order.created")),
    .basicGet(.init(queue: "jobs", noAck: true)),
    .basicGetOk(.init(deliveryTag: .max, redelivered: true, exchange: "", routingKey: "jobs", messageCount: 99)),
    .basicGetEmpty,
    .basicAck(.init(deliveryTag: 1_000_000_000_000, multiple: true)),
    .basicReject(.init(deliveryTag: 17, requeue: false)),
    .basicRecoverAsync(.init(requeue: false)),
    .basicRecover(.init(requeue: true)),
    .basicRecoverOk,
    .basicNack(.init(deliveryTag: 23, multiple: true, requeue: false)),

    .txSelect,
    .txSelectOk,
    .txCommit,
    .txCommitOk,
    .txRollback,
    .txRollbackOk,

    .confirmSelect(.init(noWait: true)),
    .confirmSelectOk,
  ]

  @Test(arguments: allMethods)
  func methodSurvivesFrameRoundTrip(_ method: AMQPMethod) throws {
    let wire = try encoded([.method(channel: 7, method)])
    #expect(try decodeAll(bytes(wire)) == [.method(channel: 7, method)])

    var payload = try #require(wire.getSlice(at: 7, length: wire.readableBytes - 8))
    #expect(payload.readInteger(as: UInt16.self) == method.classID)
    #expect(payload.readInteger(as: UInt16.self) == method.methodID)
  }

  @Test(arguments: allMethods)
  func methodSurvivesPayloadRoundTrip(_ method: AMQPMethod) throws {
    var buffer = ByteBuffer()
    try method.encode(into: &buffer)
    #expect(try AMQPMethod.decode(from: &buffer) == method)
    #expect(buffer.readableBytes == 0)
  }

  @Test func everyMethodOfTheSpecificationIsCovered() {
    let expected: Set<[UInt16]> = [
      [10, 10], [10, 11], [10, 20], [10, 21], [10, 30], [10, 31], [10, 40], [10, 41], [10, 50], [10, 51], [10, 60],
      [10, 61], [10, 70], [10, 71],
      [20, 10], [20, 11], [20, 20], [20, 21], [20, 40], [20, 41],
      [40, 10], [40, 11], [40, 20], [40, 21], [40, 30], [40, 31], [40, 40], [40, 51],
      [50, 10], [50, 11], [50, 20], [50, 21], [50, 30], [50, 31], [50, 40], [50, 41], [50, 50], [50, 51],
      [60, 10], [60, 11], [60, 20], [60, 21], [60, 30], [60, 31], [60, 40], [60, 50], [60, 60], [60, 70], [60, 71],
      [60, 72], [60, 80], [60, 90], [60, 100], [60, 110], [60, 111], [60, 120],
      [90, 10], [90, 11], [90, 20], [90, 21], [90, 30], [90, 31],
      [85, 10], [85, 11],
    ]
    let covered = Self.allMethods.map { [$0.classID, $0.methodID] }
    #expect(covered.count == 64)
    #expect(Set(covered) == expected)
  }

  @Test func onlyMessageCarryingMethodsAnnounceContent() {
    let carrying = Self.allMethods.filter(\.carriesContent).map { [$0.classID, $0.methodID] }
    #expect(carrying == [[60, 40], [60, 50], [60, 60], [60, 71]])
  }

  @Test func bitArgumentsArePackedIntoOneOctetInDeclarationOrder() throws {
    let declare = AMQPMethod.queueDeclare(.init(queue: "q", durable: true, autoDelete: true))
    var buffer = ByteBuffer()
    try declare.encode(into: &buffer)
    // class, method, reserved ticket, "q", bits (durable = bit 1, auto-delete = bit 3), empty table
    #expect(bytes(buffer) == hex("0032 000A 0000 01 71 0A 00000000"))

    let nack = AMQPMethod.basicNack(.init(deliveryTag: 2, multiple: false, requeue: true))
    buffer.clear()
    try nack.encode(into: &buffer)
    #expect(bytes(buffer) == hex("003C 0078 0000000000000002 02"))
  }

  @Test func decodingIgnoresUnusedBitsOfAPackedOctet() throws {
    var buffer = ByteBuffer(bytes: hex("003C 0050 0000000000000009 FE"))
    #expect(try AMQPMethod.decode(from: &buffer) == .basicAck(.init(deliveryTag: 9, multiple: false)))
  }

  @Test func oversizedShortStringFailsWithoutWritingAnything() throws {
    let encoder = AMQPFrameEncoder()
    var buffer = ByteBuffer(bytes: [0xAA])
    let longName = String(repeating: "q", count: 256)
    let error = #expect(throws: AMQPProtocolError.self) {
      try encoder.encode(.method(channel: 1, .queueDeclare(.init(queue: longName))), into: &buffer)
    }
    #expect(error?.code == .shortStringTooLong)
    #expect(bytes(buffer) == [0xAA])

    let longest = String(repeating: "q", count: 255)
    try encoder.encode(.method(channel: 1, .queueDeclare(.init(queue: longest))), into: &buffer)
    buffer.moveReaderIndex(forwardBy: 1)
    #expect(try decodeAll(bytes(buffer)) == [.method(channel: 1, .queueDeclare(.init(queue: longest)))])
  }

  @Test func multiByteCharactersCountAsBytesInShortStrings() throws {
    var buffer = ByteBuffer()
    let key = String(repeating: "é", count: 128)
    let error = #expect(throws: AMQPProtocolError.self) {
      try AMQPMethod.basicPublish(.init(routingKey: key)).encode(into: &buffer)
    }
    #expect(error?.code == .shortStringTooLong)
    #expect(buffer.readableBytes == 0)
  }
}
