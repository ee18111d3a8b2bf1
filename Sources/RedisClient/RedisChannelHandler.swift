import NIOCore
import RedisProtocol

/// Commands written together, and who waits for their replies.
enum RedisRequest {
  /// One command and the promise of its reply.
  case single([RESPArgument], EventLoopPromise<RESPValue>)
  /// A pipeline: one promise for all replies, in order, each as its own result.
  case batch([[RESPArgument]], EventLoopPromise<[Result<RESPValue, RedisError>]>)
  /// A command answered by push messages (`SUBSCRIBE`), not by a reply.
  case unanswered([RESPArgument])
}

/// Where one reply goes: its own promise, or its place in a pipeline's results.
enum RedisReplyTarget {
  case single(EventLoopPromise<RESPValue>)
  case batch(RedisBatch, index: Int)

  func succeed(_ value: RESPValue) {
    switch self {
    case .single(let promise): promise.succeed(value)
    case .batch(let batch, let index): batch.complete(index, .success(value))
    }
  }

  func fail(_ error: RedisError) {
    switch self {
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

/// Executes what ``RedisConnectionStateMachine`` decides: encodes commands into a reused
/// buffer, completes promises with replies in order, hands push messages on, and fails
/// everything in flight when the connection ends.
final class RedisChannelHandler: ChannelDuplexHandler {
  typealias InboundIn = RESPValue
  typealias OutboundIn = RedisRequest
  typealias OutboundOut = ByteBuffer

  private var machine = RedisConnectionStateMachine<RedisReplyTarget>()
  private var encoder = RESPCommandEncoder()
  private var buffer: ByteBuffer
  private var context: ChannelHandlerContext?
  private var closeReason: RedisError?
  private let onPush: (RESPValue) -> Void
  private let onClose: () -> Void

  init(allocator: ByteBufferAllocator, onPush: @escaping (RESPValue) -> Void, onClose: @escaping () -> Void) {
    self.buffer = allocator.buffer(capacity: 4096)
    self.onPush = onPush
    self.onClose = onClose
  }

  var inFlight: Int { machine.inFlight }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    buffer.clear()
    var written = 0
    func enqueue(_ arguments: [RESPArgument], _ target: RedisReplyTarget) {
      switch machine.commandWritten(target) {
      case .write:
        encoder.encode(arguments, into: &buffer)
        written += 1
      case .fail(let pending, let error):
        pending.fail(error)
      }
    }
    switch unwrapOutboundIn(data) {
    case .single(let arguments, let promise):
      enqueue(arguments, .single(promise))
    case .batch(let commands, let promise):
      let batch = RedisBatch(count: commands.count, promise: promise)
      for (index, arguments) in commands.enumerated() { enqueue(arguments, .batch(batch, index: index)) }
    case .unanswered(let arguments):
      encoder.encode(arguments, into: &buffer)
      written += 1
    }
    guard written > 0 else {
      promise?.fail(RedisError.connectionClosed)
      return
    }
    context.write(wrapOutboundOut(buffer), promise: promise)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch machine.valueReceived(unwrapInboundIn(data)) {
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
    if case .failAll(let pending, let error) = machine.connectionClosed(closeReason ?? .connectionClosed) {
      for promise in pending { promise.fail(error) }
    }
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
