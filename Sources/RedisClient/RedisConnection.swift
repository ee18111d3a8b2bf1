import Logging
import NIOCore
import NIOPosix
import NIOSSL
import RedisProtocol
import Synchronization

/// One connection to Redis, speaking RESP3 after `HELLO 3`. Many tasks may send on it at
/// once: commands are pipelined and replies matched in order.
public final class RedisConnection: Sendable {
  let channel: any Channel
  private let handler: NIOLoopBound<RedisChannelHandler>
  private let outstanding = Atomic<Int>(0)
  /// Push messages (pub/sub) in arrival order; finishes when the connection closes.
  let pushes: AsyncStream<RESPValue>

  private init(channel: any Channel, handler: NIOLoopBound<RedisChannelHandler>, pushes: AsyncStream<RESPValue>) {
    self.channel = channel
    self.handler = handler
    self.pushes = pushes
  }

  /// Connects, negotiates RESP3 (falling back to RESP2 on servers before 6), authenticates,
  /// names the connection and selects the database.
  public static func connect(
    configuration: RedisConfiguration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger
  ) async throws -> RedisConnection {
    let (pushes, pushContinuation) = AsyncStream.makeStream(of: RESPValue.self, bufferingPolicy: .unbounded)
    let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: eventLoopGroup)
        .connectTimeout(
          .nanoseconds(configuration.connectTimeout.wholeNanoseconds)
        )
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            if let sslContext {
              let tls = try NIOSSLClientHandler(
                context: sslContext, serverHostname: configuration.tlsServerName ?? configuration.host)
              try channel.pipeline.syncOperations.addHandler(tls)
            }
            let handler = RedisChannelHandler(
              allocator: channel.allocator,
              onPush: { pushContinuation.yield($0) },
              onClose: { pushContinuation.finish() })
            try channel.pipeline.syncOperations.addHandler(handler)
          }
        }
        .connect(host: configuration.host, port: configuration.port)
        .get()
    } catch {
      pushContinuation.finish()
      throw RedisError.connectionFailed("\(configuration.host):\(configuration.port): \(error)")
    }
    let handler = try await channel.eventLoop.submit {
      NIOLoopBound(
        try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self), eventLoop: channel.eventLoop)
    }.get()
    let connection = RedisConnection(channel: channel, handler: handler, pushes: pushes)
    do {
      try await connection.handshake(configuration)
    } catch {
      await connection.close()
      throw error
    }
    logger.debug(
      "redis connected", metadata: ["server.address": "\(configuration.host)", "server.port": "\(configuration.port)"])
    return connection
  }

  private func handshake(_ configuration: RedisConfiguration) async throws {
    var hello: [RESPArgument] = ["HELLO", "3"]
    if let password = configuration.password {
      hello += ["AUTH", RESPArgument(configuration.username ?? "default"), RESPArgument(password)]
    }
    if let name = configuration.clientName { hello += ["SETNAME", RESPArgument(name)] }
    do {
      _ = try await send(hello, timeout: configuration.connectTimeout)
    } catch RedisError.server(let message) where message.hasPrefix("ERR unknown command") {
      // Before Redis 6: RESP2, and each step as its own command.
      if let password = configuration.password {
        var auth: [RESPArgument] = ["AUTH"]
        if let username = configuration.username { auth.append(RESPArgument(username)) }
        auth.append(RESPArgument(password))
        _ = try await send(auth, timeout: configuration.connectTimeout)
      }
      if let name = configuration.clientName {
        _ = try await send(["CLIENT", "SETNAME", RESPArgument(name)], timeout: configuration.connectTimeout)
      }
    }
    if configuration.database != 0 {
      _ = try await send(["SELECT", RESPArgument(configuration.database)], timeout: configuration.connectTimeout)
    }
  }

  public var isActive: Bool { channel.isActive }

  /// Commands sent and not yet answered, for spreading load over connections.
  var inFlight: Int { outstanding.load(ordering: .relaxed) }

  /// Sends one command and waits for its reply. A server error reply throws
  /// ``RedisError/server(_:)``. After `timeout` the connection is closed, failing every
  /// command in flight on it with ``RedisError/timeout``; cancelling the task stops the wait
  /// (the reply, when it comes, is dropped).
  public func send(_ arguments: [RESPArgument], timeout: Duration) async throws -> RESPValue {
    let promise = channel.eventLoop.makePromise(of: RESPValue.self)
    channel.writeAndFlush(RedisRequest.single(arguments, promise, deadline: Self.deadline(timeout)), promise: nil)
    return try await wait(for: promise)
  }

  /// Sends several commands in one write and waits for all replies, in order. Each reply is
  /// its own result: one failing command does not fail the others.
  public func pipeline(_ commands: [[RESPArgument]], timeout: Duration) async throws -> [Result<RESPValue, RedisError>]
  {
    guard !commands.isEmpty else { return [] }
    let promise = channel.eventLoop.makePromise(of: [Result<RESPValue, RedisError>].self)
    channel.writeAndFlush(RedisRequest.batch(commands, promise, deadline: Self.deadline(timeout)), promise: nil)
    return try await wait(for: promise)
  }

  /// Writes a command whose answers arrive as push messages (`SUBSCRIBE`, `PSUBSCRIBE`).
  func sendWithoutReply(_ arguments: [RESPArgument]) async throws {
    try await channel.writeAndFlush(RedisRequest.unanswered(arguments))
  }

  /// The deadline of a command sent now; the connection's handler closes the connection,
  /// failing what is in flight with ``RedisError/timeout``, once its oldest command is past it.
  private static func deadline(_ timeout: Duration) -> NIODeadline {
    .now() + .nanoseconds(timeout.wholeNanoseconds)
  }

  private func wait<Value: Sendable>(for promise: EventLoopPromise<Value>) async throws -> Value {
    outstanding.add(1, ordering: .relaxed)
    defer { outstanding.subtract(1, ordering: .relaxed) }
    return try await withTaskCancellationHandler {
      try await promise.futureResult.get()
    } onCancel: {
      promise.fail(CancellationError())
    }
  }

  /// Closes the connection; commands in flight fail with ``RedisError/connectionClosed``.
  public func close() async {
    let handler = self.handler
    channel.eventLoop.execute { handler.value.close(because: .connectionClosed) }
    try? await channel.closeFuture.get()
  }
}
