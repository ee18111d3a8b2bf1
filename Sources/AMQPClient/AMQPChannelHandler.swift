import AMQPProtocol
import CoreMetrics
import Logging
import NIOCore

/// What the channel handler tells the connection, on the event loop.
struct AMQPHandlerEvents: Sendable {
  /// `connection.open-ok` arrived: the connection is usable with these limits.
  var opened: @Sendable (AMQPTuning) -> Void = { _ in }
  var blocked: @Sendable (String) -> Void = { _ in }
  var unblocked: @Sendable () -> Void = {}
  /// The broker closed a channel, or this side did; the channel number is free again.
  var channelClosed: @Sendable (UInt16, AMQPError) -> Void = { _, _ in }
  /// The broker cancelled a consumer.
  var consumerCancelled: @Sendable (UInt16, String) -> Void = { _, _ in }
  /// The connection is over, for the given reason.
  var closed: @Sendable (AMQPError) -> Void = { _ in }
}

/// Executes what the connection and channel state machines decide: writes frames into a reused
/// buffer, completes promises with replies and confirmations, hands deliveries to consumers,
/// keeps heartbeats going, and fails everything in flight when the connection ends.
final class AMQPChannelHandler: ChannelDuplexHandler {
  typealias InboundIn = AMQPFrame
  typealias OutboundIn = AMQPCommand
  typealias OutboundOut = ByteBuffer
  typealias ChannelMachine = AMQPChannelStateMachine<
    EventLoopPromise<AMQPReply>, PendingConfirm, AMQPDeliveryBuffer
  >

  /// A publish waiting for its confirmation, with the timer that gives up on it. The timer
  /// lives on the event loop, so a publish costs no extra trip between threads for it.
  struct PendingConfirm {
    let promise: EventLoopPromise<Void>
    let timer: Scheduled<Void>?

    func succeed() {
      timer?.cancel()
      promise.succeed()
    }

    func fail(_ error: any Error) {
      timer?.cancel()
      promise.fail(error)
    }
  }

  private var connection: AMQPConnectionStateMachine
  private var channels: [UInt16: ChannelMachine] = [:]
  private var encoder: AMQPFrameEncoder
  private var buffer: ByteBuffer
  private var context: ChannelHandlerContext?
  private var heartbeatTask: RepeatedTask?
  private var handshakeTimeout: Scheduled<Void>?
  private var closeReason: AMQPError?
  private var shutdown: (promise: EventLoopPromise<Void>, timeout: Scheduled<Void>?)?
  private var flushPending = false
  /// Set once the socket is closed: what commands that still arrive fail with.
  private var lostError: AMQPError?
  private let handshakeTime: TimeAmount
  private let epoch: UInt64
  private let events: AMQPHandlerEvents
  private let metrics: AMQPMetrics
  private let logger: Logger

  init(
    requested: AMQPConnectionStateMachine.Requested, handshakeTimeout: TimeAmount, epoch: UInt64,
    allocator: ByteBufferAllocator, events: AMQPHandlerEvents, metrics: AMQPMetrics, logger: Logger
  ) {
    self.connection = AMQPConnectionStateMachine(requested, now: .now())
    self.encoder = AMQPFrameEncoder(maximumFrameSize: AMQPFrame.minimumFrameSize)
    self.buffer = allocator.buffer(capacity: 4096)
    self.handshakeTime = handshakeTimeout
    self.epoch = epoch
    self.events = events
    self.metrics = metrics
    self.logger = logger
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    if context.channel.isActive { start(context: context) }
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
  }

  func channelActive(context: ChannelHandlerContext) {
    start(context: context)
    context.fireChannelActive()
  }

  private func start(context: ChannelHandlerContext) {
    guard handshakeTimeout == nil else { return }
    connection.frameReceived(at: context.eventLoop.now)
    connection.frameSent(at: context.eventLoop.now)
    handshakeTimeout = context.eventLoop.scheduleTask(in: handshakeTime) { [weak self] in
      self?.close(because: AMQPError(.connectionFailed, detail: "the handshake did not finish in time"))
    }
    resetBuffer()
    encoder.encodeProtocolHeader(into: &buffer)
    context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
  }

  // MARK: Inbound

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    connection.frameReceived(at: context.eventLoop.now)
    switch unwrapInboundIn(data) {
    case .heartbeat:
      break
    case .method(0, let method):
      execute(connection.methodReceived(method), context: context)
    case .method(let id, let method):
      guard channels[id] != nil else { return unknownChannel(id) }
      execute(channels[id]!.methodReceived(method), channel: id, context: context)
    case .header(let id, let header):
      guard channels[id] != nil else { return unknownChannel(id) }
      execute(channels[id]!.headerReceived(header), channel: id, context: context)
    case .body(let id, let body):
      guard channels[id] != nil else { return unknownChannel(id) }
      execute(channels[id]!.bodyReceived(body), channel: id, context: context)
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let reason: AMQPError =
      if let protocolError = error as? AMQPProtocolError {
        AMQPError(.protocolViolation, detail: "\(protocolError)")
      } else {
        AMQPError(.connectionLost, detail: "\(error)")
      }
    close(context: context, because: reason)
  }

  func channelInactive(context: ChannelHandlerContext) {
    heartbeatTask?.cancel()
    handshakeTimeout?.cancel()
    connection.connectionClosed()
    let reason = closeReason ?? AMQPError(.connectionLost, detail: "the broker closed the socket")
    // Whatever was in flight did not complete; it may be retried on the next connection,
    // unless this client closed on purpose.
    let inFlight =
      reason.code == .closed
      ? reason
      : AMQPError(.connectionLost, replyCode: reason.replyCode, replyText: reason.replyText, detail: reason.detail)
    for id in channels.keys.sorted() {
      let (rpcs, confirms) = channels[id]!.connectionLost()
      for promise in rpcs { promise.fail(inFlight) }
      for promise in confirms { promise.fail(inFlight) }
    }
    channels.removeAll()
    lostError = inFlight
    if let shutdown {
      shutdown.timeout?.cancel()
      shutdown.promise.succeed()
      self.shutdown = nil
    }
    events.closed(reason)
    context.fireChannelInactive()
  }

  // MARK: Outbound

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    // A command reports its outcome through its own promise; the write itself is done.
    promise?.succeed()
    let command = unwrapOutboundIn(data)
    if let lostError {
      return command.fail(lostError)
    }
    switch command {
    case .openChannel(let id, let reply):
      guard connection.tuning != nil, channels[id] == nil else {
        return reply.fail(AMQPError(.protocolViolation, detail: "channel \(id) cannot be opened now"))
      }
      var machine = ChannelMachine()
      let method = machine.openRequested(reply)
      channels[id] = machine
      writeFrame(.method(channel: id, method), context: context)
    case .request(let id, let method, let reply, let consumer):
      guard channels[id] != nil else { return reply.fail(closedChannel(id)) }
      if let error = channels[id]!.requestSent(method, reply, consumer: consumer) { return reply.fail(error) }
      writeFrame(.method(channel: id, method), context: context)
    case .send(let id, let method):
      guard channels[id]?.asynchronousSend() == nil else { return }
      writeFrame(.method(channel: id, method), context: context)
    case .publish(let id, let request, let deadline):
      publish(request, channel: id, deadline: deadline, context: context)
      flush(context: context)
    case .publishBatch(let id, let requests, let deadline):
      for request in requests { publish(request, channel: id, deadline: deadline, context: context) }
      flush(context: context)
    case .closeChannel(let id, let reply):
      guard channels[id] != nil, let method = channels[id]!.closeRequested(reply) else {
        return reply.fail(closedChannel(id))
      }
      writeFrame(.method(channel: id, method), context: context)
    case .shutdown(let drainTimeout, let done):
      beginShutdown(drainTimeout: drainTimeout, done: done, context: context)
    }
  }

  private func publish(
    _ request: AMQPPublishRequest, channel id: UInt16, deadline: NIODeadline, context: ChannelHandlerContext
  ) {
    let promise = request.promise
    guard channels[id] != nil else { return promise.fail(closedChannel(id)) }
    let timer =
      channels[id]!.isConfirmMode
      ? context.eventLoop.scheduleTask(deadline: deadline) {
        promise.fail(AMQPError(.timeout, detail: "no confirmation in time for a publish on channel \(id)"))
      } : nil
    let confirm = PendingConfirm(promise: promise, timer: timer)
    switch channels[id]!.publishSent(request.method, confirm) {
    case .fail(let error):
      confirm.fail(error)
    case .write(let tracked):
      resetBuffer()
      do {
        try encoder.encodePublish(
          request.method, properties: request.properties, body: request.body, channel: id, into: &buffer)
      } catch {
        // The broker's numbering no longer matches the tracked publishes: start afresh.
        confirm.fail(AMQPError(.protocolViolation, detail: "\(error)"))
        if tracked { close(context: context, because: AMQPError(.protocolViolation, detail: "\(error)")) }
        return
      }
      metrics.published.increment()
      connection.frameSent(at: context.eventLoop.now)
      context.write(wrapOutboundOut(buffer), promise: tracked ? nil : promise)
    }
  }

  /// Flushes once per event-loop turn, after every write queued before it, so that many
  /// publishes or acks from many tasks share a system call.
  func flush(context: ChannelHandlerContext) {
    guard !flushPending else { return }
    flushPending = true
    context.eventLoop.execute { [weak self] in
      guard let self, let context = self.context else { return }
      self.flushPending = false
      context.flush()
    }
  }

  /// Closes the connection without the close handshake; everything in flight fails with
  /// `reason`. Call on the event loop.
  func close(because reason: AMQPError) {
    guard let context else { return }
    close(context: context, because: reason)
  }

  // MARK: Actions

  private func execute(_ action: AMQPConnectionStateMachine.Action, context: ChannelHandlerContext) {
    switch action {
    case .none:
      break
    case .send(let methods):
      for method in methods { writeFrame(.method(channel: 0, method), context: context) }
    case .tuned(let tuning, let methods):
      encoder.maximumFrameSize = tuning.frameMax
      for method in methods { writeFrame(.method(channel: 0, method), context: context) }
      startHeartbeats(tuning.heartbeat, context: context)
    case .opened:
      handshakeTimeout?.cancel()
      if let tuning = connection.tuning { events.opened(tuning) }
    case .blocked(let reason):
      events.blocked(reason)
    case .unblocked:
      events.unblocked()
    case .sendHeartbeat:
      writeFrame(.heartbeat, context: context)
    case .close(let error, let reply):
      if let reply { writeFrame(.method(channel: 0, reply), context: context) }
      close(context: context, because: error)
    }
  }

  private func execute(_ action: ChannelMachine.Action, channel id: UInt16, context: ChannelHandlerContext) {
    switch action {
    case .none:
      break
    case .send(let method):
      writeFrame(.method(channel: id, method), context: context)
    case .succeedRPC(let promise, let reply):
      promise.succeed(reply)
    case .deliver(let sink, let deliver, let message):
      metrics.delivered.increment()
      if !sink.yield(deliver, message, epoch: epoch) {
        writeFrame(.method(channel: id, .basicReject(.init(deliveryTag: deliver.deliveryTag))), context: context)
      }
    case .requeue(let deliveryTag):
      writeFrame(.method(channel: id, .basicReject(.init(deliveryTag: deliveryTag))), context: context)
    case .confirmed(let outcomes):
      for (promise, error) in outcomes {
        if let error {
          (error.code == .messageReturned ? metrics.returned : metrics.nacked).increment()
          promise.fail(error)
        } else {
          metrics.confirmed.increment()
          promise.succeed()
        }
      }
      if shutdown != nil { closeIfDrained(context: context) }
    case .consumerCancelled(let promise, let sink):
      sink?.finish(nil)
      promise.succeed(.method(.basicCancelOk(.init(consumerTag: sink?.consumerTag ?? ""))))
    case .consumerCancelledByBroker(let sink, let error, let reply):
      if let reply { writeFrame(.method(channel: id, reply), context: context) }
      sink.finish(error)
      events.consumerCancelled(id, sink.consumerTag)
    case .unmatchedReturn(let returned, let message):
      metrics.returned.increment()
      logger.info(
        "amqp message returned",
        metadata: [
          "amqp.reply_code": "\(returned.replyCode)", "amqp.exchange": "\(message.exchange)",
          "amqp.routing_key": "\(message.routingKey)",
        ])
    case .closed(let closure):
      channels[id] = nil
      if let reply = closure.reply { writeFrame(.method(channel: id, reply), context: context) }
      // Before the waiters resume, so that they find the channel closed.
      events.channelClosed(id, closure.error)
      for promise in closure.rpcs { promise.fail(closure.error) }
      for promise in closure.confirms { promise.fail(closure.error) }
      let sinkError: AMQPError? = closure.error.code == .closed ? nil : closure.error
      for sink in closure.sinks { sink.finish(sinkError) }
      closure.closeRequest?.succeed(.method(.channelCloseOk))
      if shutdown != nil { closeIfDrained(context: context) }
    case .closeConnection(let error):
      let close = AMQPMethod.Connection.Close(replyCode: 505, replyText: "UNEXPECTED_FRAME - \(error.detail)")
      writeFrame(.method(channel: 0, .connectionClose(close)), context: context)
      self.close(context: context, because: error)
    }
  }

  // MARK: Helpers

  /// Empties the write buffer for the next frame. A buffer that a pending write still holds
  /// is replaced by a small one, not by one as large as the largest message so far.
  private func resetBuffer() {
    buffer.clear(minimumCapacity: 4096)
  }

  private func writeFrame(_ frame: AMQPFrame, context: ChannelHandlerContext) {
    resetBuffer()
    do {
      try encoder.encode(frame, into: &buffer)
    } catch {
      return close(context: context, because: AMQPError(.protocolViolation, detail: "\(error)"))
    }
    connection.frameSent(at: context.eventLoop.now)
    context.write(wrapOutboundOut(buffer), promise: nil)
    flush(context: context)
  }

  private func startHeartbeats(_ seconds: UInt16, context: ChannelHandlerContext) {
    guard seconds > 0 else { return }
    let tick = TimeAmount.milliseconds(Int64(seconds) * 250)
    heartbeatTask = context.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { [weak self] _ in
      guard let self, let context = self.context else { return }
      self.execute(self.connection.heartbeatTick(now: context.eventLoop.now), context: context)
    }
  }

  private func beginShutdown(drainTimeout: TimeAmount, done: EventLoopPromise<Void>, context: ChannelHandlerContext) {
    guard shutdown == nil else { return shutdown!.promise.futureResult.cascade(to: done) }
    guard connection.tuning != nil, context.channel.isActive else {
      close(context: context, because: AMQPError(.closed))
      return done.succeed()
    }
    shutdown = (done, nil)
    for (id, machine) in channels {
      for tag in machine.consumerTags {
        let ignored = context.eventLoop.makePromise(of: AMQPReply.self)
        ignored.futureResult.whenFailure { _ in }
        let cancel = AMQPMethod.basicCancel(.init(consumerTag: tag))
        if channels[id]!.requestSent(cancel, ignored) == nil {
          writeFrame(.method(channel: id, cancel), context: context)
        }
      }
    }
    shutdown!.timeout = context.eventLoop.scheduleTask(in: drainTimeout) { [weak self] in
      self?.sendConnectionClose()
    }
    closeIfDrained(context: context)
  }

  private func closeIfDrained(context: ChannelHandlerContext) {
    guard channels.values.allSatisfy({ $0.unconfirmedCount == 0 }) else { return }
    sendConnectionClose()
  }

  /// Starts the close handshake, giving the broker a moment to answer before the socket goes.
  private func sendConnectionClose() {
    guard let context, shutdown != nil else { return }
    shutdown?.timeout?.cancel()
    shutdown?.timeout = nil
    guard let close = connection.closeRequested(AMQPError(.closed, detail: "the connection was closed")) else {
      return self.close(context: context, because: AMQPError(.closed))
    }
    writeFrame(.method(channel: 0, close), context: context)
    shutdown?.timeout = context.eventLoop.scheduleTask(in: .seconds(2)) { [weak self] in
      self?.close(because: AMQPError(.closed, detail: "the broker did not answer connection.close"))
    }
  }

  private func close(context: ChannelHandlerContext, because reason: AMQPError) {
    if closeReason == nil { closeReason = reason }
    context.flush()
    context.close(promise: nil)
  }

  private func closedChannel(_ id: UInt16) -> AMQPError {
    AMQPError(.closed, detail: "channel \(id) is not open")
  }

  /// A frame for a channel that is not open, such as a delivery still on its way when the
  /// channel closed: dropped, as the specification asks.
  private func unknownChannel(_ id: UInt16) {
    logger.debug("amqp frame for a closed channel", metadata: ["amqp.channel": "\(id)"])
  }
}
