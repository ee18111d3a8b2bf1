import AMQPProtocol
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to the broker with its handshake done. ``AMQPConnection``
/// replaces it with a new one after it is lost; `epoch` tells them apart.
struct AMQPTransport: Sendable {
  let channel: any Channel
  let epoch: UInt64
  let tuning: AMQPTuning
  /// Completes, with the reason, once the connection is over.
  let closed: EventLoopFuture<AMQPError>

  var eventLoop: any EventLoop { channel.eventLoop }

  /// Connects and performs the AMQP handshake: protocol header, `start-ok` with PLAIN
  /// credentials, tuning and `connection.open`.
  static func connect(
    configuration: AMQPConfiguration, epoch: UInt64, eventLoopGroup: any EventLoopGroup, events: AMQPHandlerEvents,
    metrics: AMQPMetrics, logger: Logger
  ) async throws -> AMQPTransport {
    let eventLoop = eventLoopGroup.next()
    let opened = eventLoop.makePromise(of: AMQPTuning.self)
    let closed = eventLoop.makePromise(of: AMQPError.self)
    var events = events
    events.opened = { opened.succeed($0) }
    let onClosed = events.closed
    events.closed = { reason in
      opened.fail(reason)
      closed.succeed(reason)
      onClosed(reason)
    }
    let sslContext: NIOSSLContext?
    do {
      sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
    } catch {
      throw AMQPError(.invalidConfiguration, detail: "TLS: \(error)")
    }
    let requested = configuration.requested
    let handshakeTimeout = TimeAmount(configuration.connectionTimeout)
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: eventLoop)
        .connectTimeout(handshakeTimeout)
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            if let sslContext {
              let tls = try NIOSSLClientHandler(
                context: sslContext, serverHostname: configuration.tlsServerName ?? configuration.host)
              try channel.pipeline.syncOperations.addHandler(tls)
            }
            let handler = AMQPChannelHandler(
              requested: requested, handshakeTimeout: handshakeTimeout, epoch: epoch, allocator: channel.allocator,
              events: events, metrics: metrics, logger: logger)
            try channel.pipeline.syncOperations.addHandlers([
              ByteToMessageHandler(AMQPFrameDecoder(maximumFrameSize: configuration.frameMax)), handler,
            ])
          }
        }
        .connect(host: configuration.host, port: configuration.port)
        .get()
    } catch {
      opened.fail(AMQPError(.connectionFailed))
      closed.succeed(AMQPError(.connectionFailed))
      throw AMQPError(.connectionFailed, detail: "\(configuration.host):\(configuration.port): \(error)")
    }
    let tuning: AMQPTuning
    do {
      tuning = try await opened.futureResult.get()
    } catch let error as AMQPError {
      channel.close(promise: nil)
      throw error.code == .connectionLost ? AMQPError(.connectionFailed, detail: error.description) : error
    }
    return AMQPTransport(channel: channel, epoch: epoch, tuning: tuning, closed: closed.futureResult)
  }

  /// Sends a synchronous request on channel `id` and waits for its reply until `deadline`.
  func request(
    _ id: UInt16, _ method: AMQPMethod, consumer: AMQPDeliveryBuffer? = nil, until deadline: NIODeadline
  ) async throws -> AMQPReply {
    let promise = eventLoop.makePromise(of: AMQPReply.self)
    send(.request(id, method, promise, consumer: consumer))
    return try await wait(for: promise, until: deadline, "\(method.classID).\(method.methodID) on channel \(id)")
  }

  func openChannel(_ id: UInt16, until deadline: NIODeadline) async throws {
    let promise = eventLoop.makePromise(of: AMQPReply.self)
    send(.openChannel(id, promise))
    _ = try await wait(for: promise, until: deadline, "opening channel \(id)")
  }

  func closeChannel(_ id: UInt16, until deadline: NIODeadline) async throws {
    let promise = eventLoop.makePromise(of: AMQPReply.self)
    send(.closeChannel(id, promise))
    _ = try await wait(for: promise, until: deadline, "closing channel \(id)")
  }

  /// Hands a command to the channel handler. On a socket that is already closed the command
  /// never reaches the handler, so it is failed here instead of leaving its waiter hanging.
  func send(_ command: AMQPCommand) {
    if case .send = command {
      // Nobody waits on an acknowledgement; spare the hot path a promise.
      return channel.writeAndFlush(command, promise: nil)
    }
    let written = eventLoop.makePromise(of: Void.self)
    written.futureResult.whenFailure { error in
      command.fail(AMQPError(.connectionLost, detail: "\(error)"))
    }
    channel.writeAndFlush(command, promise: written)
  }

  /// Waits for `promise`, failing it with ``AMQPError/Code/timeout`` at `deadline` and with
  /// `CancellationError` when the task is cancelled; a late answer is then ignored.
  func wait<Value: Sendable>(for promise: EventLoopPromise<Value>, until deadline: NIODeadline, _ what: String)
    async throws -> Value
  {
    let timer = eventLoop.scheduleTask(deadline: deadline) {
      promise.fail(AMQPError(.timeout, detail: "no answer in time: \(what)"))
    }
    defer { timer.cancel() }
    return try await withTaskCancellationHandler {
      try await promise.futureResult.get()
    } onCancel: {
      promise.fail(CancellationError())
    }
  }
}
