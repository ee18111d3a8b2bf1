import NIOCore
import NIOEmbedded
import RedisProtocol
import Synchronization
import Testing

@testable import RedisClient

/// The handler against a scripted server on an in-memory channel.
@Suite struct RedisChannelHandlerTests {
  final class Pushes: Sendable {
    let values = Mutex<[RESPValue]>([])
    let closed = Atomic<Bool>(false)
  }

  static func channel(_ pushes: Pushes = Pushes()) async throws -> NIOAsyncTestingChannel {
    let channel = NIOAsyncTestingChannel()
    try await channel.pipeline.addHandler(
      RedisChannelHandler(
        allocator: channel.allocator, onPush: { value in pushes.values.withLock { $0.append(value) } },
        onClose: { pushes.closed.store(true, ordering: .relaxed) }))
    try await channel.connect(to: .init(ipAddress: "127.0.0.1", port: 6379)).get()
    return channel
  }

  static func reply(_ channel: NIOAsyncTestingChannel, _ wire: String) async throws {
    try await channel.writeInbound(ByteBuffer(string: wire))
  }

  @Test func encodesTheCommandAndCompletesItWithTheReply() async throws {
    let channel = try await Self.channel()
    let promise = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.writeOutbound(RedisRequest.single(["GET", "k"], promise, deadline: .distantFuture))
    let written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
    #expect(String(buffer: written) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
    try await Self.reply(channel, "$5\r\nhello\r\n")
    #expect(try await promise.futureResult.get().string == "hello")
  }

  @Test func aPipelineGetsEveryReplyInOrderEvenWhenOneFails() async throws {
    let channel = try await Self.channel()
    let promise = channel.eventLoop.makePromise(of: [Result<RESPValue, RedisError>].self)
    try await channel.writeOutbound(
      RedisRequest.batch([["INCR", "a"], ["BAD"], ["PING"]], promise, deadline: .distantFuture))
    let written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
    #expect(String(buffer: written).hasPrefix("*2\r\n$4\r\nINCR\r\n"))
    // The replies arrive split across reads.
    try await Self.reply(channel, ":1\r\n-ERR unknown comm")
    try await Self.reply(channel, "and\r\n+PONG\r\n")
    let results = try await promise.futureResult.get()
    #expect(results.count == 3)
    #expect(try results[0].get().int == 1)
    #expect(throws: RedisError.server("ERR unknown command")) { try results[1].get() }
    #expect(try results[2].get().string == "PONG")
  }

  @Test func pushMessagesGoToTheSubscriberNotToACommand() async throws {
    let pushes = Pushes()
    let channel = try await Self.channel(pushes)
    let promise = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.writeOutbound(RedisRequest.single(["PING"], promise, deadline: .distantFuture))
    _ = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
    try await Self.reply(channel, ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n+PONG\r\n")
    #expect(try await promise.futureResult.get().string == "PONG")
    #expect(pushes.values.withLock { $0.count } == 1)
  }

  @Test func aLostConnectionFailsEverythingInFlight() async throws {
    let pushes = Pushes()
    let channel = try await Self.channel(pushes)
    let first = channel.eventLoop.makePromise(of: RESPValue.self)
    let second = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.writeOutbound(RedisRequest.single(["GET", "a"], first, deadline: .distantFuture))
    try await channel.writeOutbound(RedisRequest.single(["GET", "b"], second, deadline: .distantFuture))
    try await channel.close()
    await #expect(throws: RedisError.connectionClosed) { try await first.futureResult.get() }
    await #expect(throws: RedisError.connectionClosed) { try await second.futureResult.get() }
    let closed = pushes.closed.load(ordering: .relaxed)
    #expect(closed)
  }

  @Test func garbageFromTheServerClosesTheConnection() async throws {
    let channel = try await Self.channel()
    let promise = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.writeOutbound(RedisRequest.single(["GET", "a"], promise, deadline: .distantFuture))
    try await Self.reply(channel, "?what\r\n")
    let error = await #expect(throws: RedisError.self) { try await promise.futureResult.get() }
    guard case .protocolViolation = error else {
      Issue.record("expected a protocol violation, got \(String(describing: error))")
      return
    }
  }

  @Test func aReplyNobodyAskedForClosesTheConnection() async throws {
    let channel = try await Self.channel()
    try await Self.reply(channel, ":1\r\n")
    try await channel.closeFuture.get()
  }

  @Test func commandsSentInOneRoundOfTheLoopLeaveInOneWrite() async throws {
    let channel = try await Self.channel()
    let first = channel.eventLoop.makePromise(of: RESPValue.self)
    let second = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.testingEventLoop.executeInContext {
      channel.writeAndFlush(RedisRequest.single(["GET", "a"], first, deadline: .distantFuture), promise: nil)
      channel.writeAndFlush(RedisRequest.single(["GET", "b"], second, deadline: .distantFuture), promise: nil)
    }
    let written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
    #expect(String(buffer: written) == "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")
    try await Self.reply(channel, "$1\r\n1\r\n$1\r\n2\r\n")
    #expect(try await first.futureResult.get().string == "1")
    #expect(try await second.futureResult.get().string == "2")
  }

  @Test func aCommandPastItsDeadlineClosesTheConnectionFailingWhatWaits() async throws {
    let channel = try await Self.channel()
    let late = channel.eventLoop.makePromise(of: RESPValue.self)
    let behind = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.writeOutbound(RedisRequest.single(["BLPOP", "q", "5"], late, deadline: .now() - .seconds(1)))
    try await channel.writeOutbound(RedisRequest.single(["GET", "b"], behind, deadline: .distantFuture))
    await channel.testingEventLoop.advanceTime(by: RedisChannelHandler.sweepInterval)
    await #expect(throws: RedisError.timeout) { try await late.futureResult.get() }
    await #expect(throws: RedisError.timeout) { try await behind.futureResult.get() }
  }

  @Test func commandsWithinTheirDeadlineAreLeftToWait() async throws {
    let channel = try await Self.channel()
    let promise = channel.eventLoop.makePromise(of: RESPValue.self)
    try await channel.writeOutbound(RedisRequest.single(["GET", "a"], promise, deadline: .now() + .seconds(60)))
    await channel.testingEventLoop.advanceTime(by: RedisChannelHandler.sweepInterval * 4)
    #expect(channel.isActive)
    try await Self.reply(channel, "$1\r\nx\r\n")
    #expect(try await promise.futureResult.get().string == "x")
  }
}
