import AMQPProtocol
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import AMQPClient

/// The channel handler against a scripted broker on an `NIOAsyncTestingChannel`, whose clock
/// the tests move.
@Suite struct AMQPChannelHandlerTests {
  final class Broker {
    let channel = NIOAsyncTestingChannel()
    let opened = Locked<AMQPTuning?>(nil)
    let closed = Locked<AMQPError?>(nil)
    var decoder = AMQPFrameDecoder()
    var pending = ByteBuffer()

    func start() async throws {
      var events = AMQPHandlerEvents()
      let opened = self.opened
      let closed = self.closed
      events.opened = { tuning in opened.withLock { $0 = tuning } }
      events.closed = { error in closed.withLock { $0 = error } }
      let requested = AMQPConnectionStateMachine.Requested(
        username: "guest", password: "guest", virtualHost: "/", clientProperties: [:], channelMax: 100,
        frameMax: 131_072, heartbeat: 2)
      let handler = AMQPChannelHandler(
        requested: requested, handshakeTimeout: .seconds(10), epoch: 1, allocator: channel.allocator, events: events,
        metrics: AMQPMetrics(), logger: Logger(label: "test.amqp.handler"))
      try await channel.pipeline.addHandlers([ByteToMessageHandler(AMQPFrameDecoder()), handler])
      try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5672))
      await channel.testingEventLoop.run()
      let header = try #require(try await channel.readOutbound(as: ByteBuffer.self))
      #expect(Array(buffer: header) == AMQPFrame.protocolHeader)
    }

    /// A broker past the handshake, with channel 1 open in confirm mode.
    static func confirming() async throws -> Broker {
      let broker = Broker()
      try await broker.start()
      try await broker.handshake()
      try await broker.openConfirmChannel()
      return broker
    }

    /// Plays the broker's side of the handshake, offering `frameMax`.
    func handshake(frameMax: UInt32 = 131_072) async throws {
      try await send(
        .method(
          channel: 0,
          .connectionStart(
            .init(versionMajor: 0, versionMinor: 9, serverProperties: [:], mechanisms: "PLAIN", locales: "en_US"))))
      guard case .method(0, .connectionStartOk) = try await next() else { throw AMQPError(.protocolViolation) }
      try await send(.method(channel: 0, .connectionTune(.init(channelMax: 0, frameMax: frameMax, heartbeat: 60))))
      guard case .method(0, .connectionTuneOk(let tuneOk)) = try await next() else {
        throw AMQPError(.protocolViolation)
      }
      #expect(tuneOk.heartbeat == 2 && tuneOk.frameMax == frameMax)
      guard case .method(0, .connectionOpen) = try await next() else { throw AMQPError(.protocolViolation) }
      try await send(.method(channel: 0, .connectionOpenOk))
      #expect(opened.withLock { $0 } != nil)
    }

    func send(_ frame: AMQPFrame) async throws {
      var buffer = ByteBuffer()
      try AMQPFrameEncoder().encode(frame, into: &buffer)
      try await channel.writeInbound(buffer)
      await channel.testingEventLoop.run()
    }

    /// The next frame the client wrote.
    func next() async throws -> AMQPFrame {
      await channel.testingEventLoop.run()
      while true {
        if let frame = try decoder.decode(buffer: &pending) { return frame }
        guard let more = try await channel.readOutbound(as: ByteBuffer.self) else {
          throw AMQPError(.protocolViolation, detail: "the client wrote nothing more")
        }
        pending.writeImmutableBuffer(more)
      }
    }

    func command(_ command: AMQPCommand) async throws {
      try await channel.writeOutbound(command)
      await channel.testingEventLoop.run()
    }

    /// Opens channel 1 in confirm mode.
    func openConfirmChannel() async throws {
      let loop = channel.testingEventLoop
      let open = loop.makePromise(of: AMQPReply.self)
      try await command(.openChannel(1, open))
      guard case .method(1, .channelOpen) = try await next() else { throw AMQPError(.protocolViolation) }
      try await send(.method(channel: 1, .channelOpenOk))
      _ = try await open.futureResult.get()
      let select = loop.makePromise(of: AMQPReply.self)
      try await command(.request(1, .confirmSelect(.init()), select, consumer: nil))
      guard case .method(1, .confirmSelect) = try await next() else { throw AMQPError(.protocolViolation) }
      try await send(.method(channel: 1, .confirmSelectOk))
      _ = try await select.futureResult.get()
    }

    /// Publishes a small message on channel 1, to be confirmed within `timeout` of the loop's
    /// clock; the result is `nil` until it is confirmed or failed.
    func publish(timeout: TimeAmount = .seconds(60)) async throws -> Locked<Result<Void, any Error>?> {
      let loop = channel.testingEventLoop
      let confirmed = loop.makePromise(of: Void.self)
      let request = AMQPPublishRequest(
        method: .init(routingKey: "q"), properties: AMQPBasicProperties(), body: ByteBuffer(string: "m"),
        promise: confirmed)
      try await command(.publish(1, request, deadline: loop.now + timeout))
      for _ in 0..<3 { _ = try await next() }  // method, header and body
      let outcome = Locked<Result<Void, any Error>?>(nil)
      confirmed.futureResult.whenComplete { result in outcome.withLock { $0 = result } }
      return outcome
    }

    /// Whether the client has written nothing but heartbeats since the last frame read.
    func isQuiet() async throws -> Bool {
      await channel.testingEventLoop.run()
      while let more = try await channel.readOutbound(as: ByteBuffer.self) { pending.writeImmutableBuffer(more) }
      while let frame = try decoder.decode(buffer: &pending) {
        guard case .heartbeat = frame else { return false }
      }
      return true
    }
  }

  @Test func publishesSplitAcrossFramesAreConfirmedByTheBrokersAck() async throws {
    let broker = Broker()
    try await broker.start()
    try await broker.handshake(frameMax: 4096)
    try await broker.openConfirmChannel()
    let loop = broker.channel.testingEventLoop

    let confirmed = loop.makePromise(of: Void.self)
    let body = ByteBuffer(repeating: 7, count: 10_000)
    let request = AMQPPublishRequest(
      method: .init(routingKey: "q"), properties: AMQPBasicProperties(deliveryMode: 2), body: body, promise: confirmed)
    try await broker.command(.publish(1, request, deadline: .now() + .seconds(30)))
    guard case .method(1, .basicPublish(let publish)) = try await broker.next() else { Issue.record("publish"); return }
    #expect(publish.routingKey == "q")
    guard case .header(1, let header) = try await broker.next() else { Issue.record("no content header"); return }
    #expect(header.bodySize == 10_000 && header.properties.deliveryMode == 2)
    var received = ByteBuffer()
    var frames = 0
    while received.readableBytes < 10_000 {
      guard case .body(1, let piece) = try await broker.next() else { Issue.record("no body frame"); return }
      #expect(piece.readableBytes <= 4096 - 8)
      received.writeImmutableBuffer(piece)
      frames += 1
    }
    #expect(frames == 3 && received == body)

    let state = Locked<Bool?>(nil)
    confirmed.futureResult.whenComplete { result in state.withLock { $0 = (try? result.get()) != nil } }
    await loop.run()
    #expect(state.withLock { $0 } == nil)  // not before the broker's ack
    try await broker.send(.method(channel: 1, .basicAck(.init(deliveryTag: 1))))
    #expect(state.withLock { $0 } == true)
  }

  @Test func aSilentBrokerIsDetectedWithinTwoHeartbeatIntervals() async throws {
    let broker = Broker()
    try await broker.start()
    try await broker.handshake()
    let loop = broker.channel.testingEventLoop
    // Heartbeats every 2 s: the client beats after 1 s of not writing.
    await loop.advanceTime(by: .seconds(1))
    guard case .heartbeat = try await broker.next() else { Issue.record("no heartbeat from the client"); return }
    try await broker.send(.heartbeat)
    await loop.advanceTime(by: .seconds(3))
    #expect(broker.closed.withLock { $0 } == nil)  // 3 s of silence since the last frame
    await loop.advanceTime(by: .milliseconds(500))
    // 3.5 s since the broker's last frame (within two intervals, 4 s): given up.
    #expect(broker.closed.withLock { $0 }?.code == .heartbeatTimeout)
    #expect(!broker.channel.isActive)
  }

  @Test func aHandshakeThatStallsIsGivenUpAtItsTimeout() async throws {
    let broker = Broker()
    try await broker.start()
    // The broker starts the handshake, then never sends connection.tune.
    try await broker.send(
      .method(
        channel: 0,
        .connectionStart(
          .init(versionMajor: 0, versionMinor: 9, serverProperties: [:], mechanisms: "PLAIN", locales: "en_US"))))
    guard case .method(0, .connectionStartOk) = try await broker.next() else {
      Issue.record("no start-ok from the client")
      return
    }
    let loop = broker.channel.testingEventLoop
    await loop.advanceTime(by: .milliseconds(9900))
    #expect(broker.closed.withLock { $0 } == nil && broker.channel.isActive, "not before the 10 s handshake timeout")
    await loop.advanceTime(by: .milliseconds(100))
    let error = try #require(broker.closed.withLock { $0 })
    #expect(error.code == .connectionFailed && error.isRetryable)
    #expect(broker.opened.withLock { $0 } == nil && !broker.channel.isActive)
  }

  @Test func aCommandAfterTheConnectionIsLostFailsAsRetryable() async throws {
    let broker = Broker()
    try await broker.start()
    try await broker.handshake()
    try await broker.send(.method(channel: 0, .connectionClose(.init(replyCode: 320, replyText: "CONNECTION_FORCED"))))
    guard case .method(0, .connectionCloseOk) = try await broker.next() else { Issue.record("no close-ok"); return }
    #expect(broker.closed.withLock { $0 }?.replyCode == 320)
    let loop = broker.channel.testingEventLoop
    let transport = AMQPTransport(
      channel: broker.channel, epoch: 1, tuning: AMQPTuning(channelMax: 100, frameMax: 131_072, heartbeat: 2),
      closed: loop.makeSucceededFuture(AMQPError(.connectionLost)))
    let late = loop.makePromise(of: AMQPReply.self)
    transport.send(.request(1, .basicQos(.init(prefetchCount: 1)), late, consumer: nil))
    await loop.run()
    await #expect { try await late.futureResult.get() } throws: { error in
      (error as? AMQPError)?.code == .connectionLost && (error as? AMQPError)?.isRetryable == true
    }
  }

  @Test func gracefulShutdownCancelsConsumersAndClosesOnceConfirmsAreIn() async throws {
    let broker = try await Broker.confirming()
    let loop = broker.channel.testingEventLoop
    let connection = AMQPConnection(configuration: AMQPConfiguration(), logger: Logger(label: "test.amqp.handler"))
    let consumer = AMQPDeliveryBuffer(consumerTag: "c1", channel: AMQPChannel(number: 1, connection: connection))
    let consumeOk = loop.makePromise(of: AMQPReply.self)
    try await broker.command(
      .request(1, .basicConsume(.init(queue: "q", consumerTag: "c1")), consumeOk, consumer: consumer))
    guard case .method(1, .basicConsume) = try await broker.next() else { Issue.record("no consume"); return }
    try await broker.send(.method(channel: 1, .basicConsumeOk(.init(consumerTag: "c1"))))
    _ = try await consumeOk.futureResult.get()
    let outcome = try await broker.publish()

    let done = loop.makePromise(of: Void.self)
    try await broker.command(.shutdown(drainTimeout: .seconds(5), done))
    guard case .method(1, .basicCancel(let cancel)) = try await broker.next() else { Issue.record("no cancel"); return }
    #expect(cancel.consumerTag == "c1")
    try await broker.send(.method(channel: 1, .basicCancelOk(.init(consumerTag: "c1"))))
    // The publish is still unconfirmed, so the connection stays open for it.
    #expect(try await broker.isQuiet())
    #expect(outcome.withLock { $0 } == nil)
    try await broker.send(.method(channel: 1, .basicAck(.init(deliveryTag: 1))))
    #expect(outcome.withLock { $0.map { (try? $0.get()) != nil } } == true)
    guard case .method(0, .connectionClose(let close)) = try await broker.next() else {
      Issue.record("no close"); return
    }
    #expect(close.replyCode == 200)
    try await broker.send(.method(channel: 0, .connectionCloseOk))
    try await done.futureResult.get()
    #expect(!broker.channel.isActive)
    #expect(broker.closed.withLock { $0 }?.code == .closed)
  }

  @Test func gracefulShutdownGivesUpOnConfirmationsAfterTheDrainTimeout() async throws {
    let broker = try await Broker.confirming()
    let loop = broker.channel.testingEventLoop
    let outcome = try await broker.publish()

    let done = loop.makePromise(of: Void.self)
    try await broker.command(.shutdown(drainTimeout: .seconds(3), done))
    await loop.advanceTime(by: .milliseconds(2900))
    #expect(try await broker.isQuiet())
    await loop.advanceTime(by: .milliseconds(100))
    guard case .method(0, .connectionClose) = try await broker.next() else { Issue.record("no close"); return }
    try await broker.send(.method(channel: 0, .connectionCloseOk))
    try await done.futureResult.get()
    // Never reported as sent: the unconfirmed publish fails.
    let failure = outcome.failure
    #expect(failure?.code == .closed)
  }

  @Test func aPublishUnconfirmedByItsDeadlineFailsWithTimeout() async throws {
    let broker = try await Broker.confirming()
    let loop = broker.channel.testingEventLoop
    let outcome = try await broker.publish(timeout: .seconds(5))
    // The broker stays alive with heartbeats, but never confirms.
    for _ in 0..<4 {
      await loop.advanceTime(by: .seconds(1))
      try await broker.send(.heartbeat)
    }
    await loop.advanceTime(by: .milliseconds(900))
    #expect(outcome.withLock { $0 } == nil)
    await loop.advanceTime(by: .milliseconds(100))
    let failure = outcome.failure
    #expect(failure?.code == .timeout && failure?.isRetryable == true)
    // A late ack changes nothing and keeps the connection up.
    try await broker.send(.method(channel: 1, .basicAck(.init(deliveryTag: 1))))
    #expect(broker.channel.isActive)
  }
}

extension Locked<Result<Void, any Error>?> {
  /// The AMQP error a publish failed with, if it has failed.
  var failure: AMQPError? {
    withLock { state in
      guard case .failure(let error) = state else { return nil }
      return error as? AMQPError
    }
  }
}
