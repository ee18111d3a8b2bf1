import AMQPProtocol
import NIOCore

/// What the async API asks the channel handler to do, written into the NIO pipeline.
enum AMQPCommand: Sendable {
  /// Opens a channel; the promise gets `channel.open-ok`.
  case openChannel(UInt16, EventLoopPromise<AMQPReply>)
  /// A synchronous request; the promise gets the reply. A `basic.consume` brings the buffer
  /// its deliveries go to.
  case request(UInt16, AMQPMethod, EventLoopPromise<AMQPReply>, consumer: AMQPDeliveryBuffer?)
  /// A method without reply, such as `basic.ack`.
  case send(UInt16, AMQPMethod)
  /// A message; the promise completes when the broker confirms it in confirm mode, or once
  /// it is written otherwise. A confirmation that has not come by `deadline` fails it.
  case publish(UInt16, AMQPPublishRequest, deadline: NIODeadline)
  /// Several messages written together, each with its own promise.
  case publishBatch(UInt16, [AMQPPublishRequest], deadline: NIODeadline)
  /// Closes a channel; the promise gets `channel.close-ok`.
  case closeChannel(UInt16, EventLoopPromise<AMQPReply>)
  /// Cancels every consumer, waits up to `drainTimeout` for publishes in flight to be
  /// confirmed, then closes the connection; the promise completes when the socket is closed.
  case shutdown(drainTimeout: TimeAmount, EventLoopPromise<Void>)
}

extension AMQPCommand {
  /// Fails whoever waits on the command, which will not be carried out.
  func fail(_ error: AMQPError) {
    switch self {
    case .openChannel(_, let reply), .request(_, _, let reply, _), .closeChannel(_, let reply):
      reply.fail(error)
    case .publish(_, let request, _):
      request.promise.fail(error)
    case .publishBatch(_, let requests, _):
      for request in requests { request.promise.fail(error) }
    case .shutdown(_, let done):
      done.succeed()
    case .send:
      break
    }
  }
}

/// One message to publish and who waits for its confirmation.
struct AMQPPublishRequest: Sendable {
  var method: AMQPMethod.Basic.Publish
  var properties: AMQPBasicProperties
  var body: ByteBuffer
  var promise: EventLoopPromise<Void>
}
