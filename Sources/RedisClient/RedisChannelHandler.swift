import NIOCore
import RedisProtocol

/// Commands written together, who waits for their replies, and until when.
enum RedisRequest {
  /// One command and the promise of its reply.
  case single([RESPArgument], EventLoopPromise<RESPValue>, deadline: NIODeadline)
  /// A pipeline: one promise for all replies, in order, each as its own result.
  case batch([[RESPArgument]], EventLoopPromise<[Result<RESPValue, RedisError>]>, deadline: NIODeadline)
  /// A command answered by push messages (`SUBSCRIBE`), not by a reply.
  case unanswered([RESPArgument])
}

/// Where one reply goes (its own promise, or its place in a pipeline's results), and by when
/// it must have come.
struct RedisReplyTarget {
  enum Destination {
    case single(EventLoopPromise<RESPValue>)
    case batch(RedisBatch, index: Int)
  }

  let destination: Destination
  let deadline: NIODeadline

  func succeed(_ value: RESPValue) {
    switch destination {
    case .single(let promise): promise.succeed(value)
    case .batch(let batch, let index): batch.complete(index, .success(value))
    }
  }

  func fail(_ error: RedisError) {
    switch destination {
    case .single(let promise): promise.fail(error)
    case .batch(let batch, let index): batch.complete(index, .failure(error))
    }
  }
}

/// Collects a pipeline's replies and completes its promise once, when the last one is in.
/// Lives on the connection's event loop only.
final class RedisBatch {
  private var results: [Result<RESPValue, RedisError>?]
  private var remaining: Int
  private let promise: EventLoopPromise<[Result<RESPValue, RedisError>]>

  init(count: Int, promise: EventLoopPromise<[Result<RESPValue, RedisError>]>) {
    self.results = Array(repeating: nil, count: count)
    self.remaining = count
    self.promise = promise
  }

  func complete(_ index: Int, _ result: Result<RESPValue, RedisError>) {
    results[index] = result
    remaining -= 1
    if remaining == 0 { promise.succeed(results.map { $0! }) }
  }
}

/// Executes what ``RedisConnectionStateMachine`` decides: encodes commands, decodes replies
/// and completes promises with them in order, hands push messages on, and fails everything
/// in flight when the connection ends.
///
/// Three things keep the cost per command down when many tasks share the connection.
/// Replies are decoded here, straight from the bytes read, rather than by a decoder in front
/// that would pass each one on as a message of its own. Writes
/// are gathered: a flush is put off to the end of the event loop's current round of work,
/// so that every command that arrived meanwhile leaves in one buffer and one system call.
/// And there is no timer per command: each command carries its deadline, and one check per
/// connection (``sweepInterval``) closes the connection when the oldest command waiting has
/// passed its own.
final class RedisChannelHandler: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = RedisRequest
  typealias OutboundOut = ByteBuffer

  /// How often the deadline of the oldest command in flight is checked.
  static let sweepInterval = TimeAmount.milliseconds(25)

  private var machine = RedisConnectionStateMachine<RedisReplyTarget>()
  private var encoder = RESPCommandEncoder()
  private var decoder = NIOSingleStepByteToMessageProcessor(RESPDecoder())
  /// Commands encoded and not written yet, with the promises of the writes asked for.
  private var unwritten: ByteBuffer
  private var writePromises: [EventLoopPromise<Void>] = []
  private var flushScheduled = false
  private var sweep: Scheduled<Void>?
  private var context: ChannelHandlerContext?
  private var closeReason: RedisError?
  private let onPush: (RESPValue) -> Void
  private let onClose: () -> Void

  init(allocator: ByteBufferAllocator, onPush: @escaping (RESPValue) -> Void, onClose: @escaping () -> Void) {
    self.unwritten = allocator.buffer(capacity: 4096)
    self.onPush = onPush
    self.onClose = onClose
  }

  var inFlight: Int { machine.inFlight }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    scheduleSweep(context)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    sweep?.cancel()
    self.context = nil
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let before = unwritten.writerIndex
    func enqueue(_ arguments: [RESPArgument], _ target: RedisReplyTarget) {
      switch machine.commandWritten(target) {
      case .write:
        encoder.encode(arguments, into: &unwritten)
      case .fail(let pending, let error):
        pending.fail(error)
      }
    }
    switch unwrapOutboundIn(data) {
    case .single(let arguments, let promise, let deadline):
      enqueue(arguments, RedisReplyTarget(destination: .single(promise), deadline: deadline))
    case .batch(let commands, let promise, let deadline):
      let batch = RedisBatch(count: commands.count, promise: promise)
      for (index, arguments) in commands.enumerated() {
        enqueue(arguments, RedisReplyTarget(destination: .batch(batch, index: index), deadline: deadline))
      }
    case .unanswered(let arguments):
      encoder.encode(arguments, into: &unwritten)
    }
    guard unwritten.writerIndex > before else {
      promise?.fail(RedisError.connectionClosed)
      return
    }
    if let promise { writePromises.append(promise) }
  }

  func flush(context: ChannelHandlerContext) {
    guard !flushScheduled else { return }
    flushScheduled = true
    // Run after whatever the loop already has queued: the writes of other tasks, which
    // then leave with this one.
    context.eventLoop.assumeIsolated().execute {
      self.flushScheduled = false
      self.writeUnwritten(context)
    }
  }

  private func writeUnwritten(_ context: ChannelHandlerContext) {
    guard unwritten.readableBytes > 0 else { return }
    let promises = writePromises
    writePromises.removeAll(keepingCapacity: true)
    let written: EventLoopPromise<Void>? = promises.isEmpty ? nil : context.eventLoop.makePromise()
    if let written {
      written.futureResult.assumeIsolated().whenComplete { result in
        for promise in promises { promise.completeWith(result) }
      }
    }
    context.write(wrapOutboundOut(unwritten), promise: written)
    context.flush()
    // Written by now unless the socket is full; clearing reuses the storage when it is free.
    unwritten.clear()
  }

  private func scheduleSweep(_ context: ChannelHandlerContext) {
    sweep = context.eventLoop.assumeIsolated().scheduleTask(in: Self.sweepInterval) {
      if let oldest = self.machine.oldest, oldest.deadline < .now() {
        self.close(context: context, because: .timeout)
      } else if self.context != nil {
        self.scheduleSweep(context)
      }
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    do {
      try decoder.process(buffer: unwrapInboundIn(data)) { received($0, context: context) }
    } catch {
      close(context: context, because: .protocolViolation("\(error)"))
    }
  }

  private func received(_ value: RESPValue, context: ChannelHandlerContext) {
    switch machine.valueReceived(value) {
    case .succeed(let promise, let value):
      promise.succeed(value)
    case .fail(let promise, let error):
      promise.fail(error)
    case .deliverPush(let value):
      onPush(value)
    case .closeConnection(let error):
      close(context: context, because: error)
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let reason: RedisError =
      if let parse = error as? RESPParseError { .protocolViolation("\(parse)") } else { .connectionClosed }
    close(context: context, because: reason)
  }

  func channelInactive(context: ChannelHandlerContext) {
    sweep?.cancel()
    if case .failAll(let pending, let error) = machine.connectionClosed(closeReason ?? .connectionClosed) {
      for promise in pending { promise.fail(error) }
    }
    for promise in writePromises { promise.fail(RedisError.connectionClosed) }
    writePromises.removeAll()
    onClose()
    context.fireChannelInactive()
  }

  /// Closes the connection; whatever is in flight fails with `reason`. Call on the event loop.
  func close(because reason: RedisError) {
    guard let context else { return }
    close(context: context, because: reason)
  }

  private func close(context: ChannelHandlerContext, because reason: RedisError) {
    if closeReason == nil { closeReason = reason }
    machine.closeRequested()
    context.close(promise: nil)
  }
}
