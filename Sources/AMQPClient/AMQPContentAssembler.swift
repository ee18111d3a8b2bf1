import AMQPProtocol
import NIOCore

/// The method that announces a message's content on a channel.
enum AMQPContentMethod: Sendable, Equatable {
  case deliver(AMQPMethod.Basic.Deliver)
  case getOk(AMQPMethod.Basic.GetOk)
  case `return`(AMQPMethod.Basic.Return)

  var exchange: String {
    switch self {
    case .deliver(let deliver): deliver.exchange
    case .getOk(let getOk): getOk.exchange
    case .return(let returned): returned.exchange
    }
  }

  var routingKey: String {
    switch self {
    case .deliver(let deliver): deliver.routingKey
    case .getOk(let getOk): getOk.routingKey
    case .return(let returned): returned.routingKey
    }
  }
}

/// Puts a message back together from its method, content header and body frames, which the
/// broker sends one after the other on the channel.
///
/// A body that fits in one frame is the frame's own slice of the read buffer, so the common
/// case copies nothing.
struct AMQPContentAssembler {
  enum State {
    case idle
    case awaitingHeader(AMQPContentMethod)
    case awaitingBody(AMQPContentMethod, AMQPBasicProperties, expected: UInt64, body: ByteBuffer?)
  }

  private(set) var state: State = .idle

  var isIdle: Bool {
    if case .idle = state { return true }
    return false
  }

  /// A content-carrying method arrived; the caller has checked that no message is
  /// incomplete (``isIdle``).
  mutating func methodReceived(_ method: AMQPContentMethod) {
    state = .awaitingHeader(method)
  }

  /// The content header arrived; returns the message when its body is empty.
  mutating func headerReceived(_ header: AMQPContentHeader) throws(AMQPError) -> (
    AMQPContentMethod, AMQPMessage
  )? {
    guard case .awaitingHeader(let method) = state else {
      throw AMQPError(.protocolViolation, detail: "a content header without a method")
    }
    guard header.bodySize > 0 else {
      state = .idle
      return (method, message(method, header.properties, ByteBuffer()))
    }
    state = .awaitingBody(method, header.properties, expected: header.bodySize, body: nil)
    return nil
  }

  /// A body frame arrived; returns the message once the announced size is complete.
  mutating func bodyReceived(_ frame: ByteBuffer) throws(AMQPError) -> (AMQPContentMethod, AMQPMessage)? {
    guard case .awaitingBody(let method, let properties, let expected, var body) = state else {
      throw AMQPError(.protocolViolation, detail: "a body frame without a content header")
    }
    state = .idle  // so that `body` is uniquely referenced while it grows
    if body == nil {
      body = frame
    } else {
      body!.writeImmutableBuffer(frame)
    }
    let size = UInt64(body!.readableBytes)
    if size == expected { return (method, message(method, properties, body!)) }
    guard size < expected else {
      throw AMQPError(.protocolViolation, detail: "body of \(size) bytes, \(expected) announced")
    }
    state = .awaitingBody(method, properties, expected: expected, body: body)
    return nil
  }

  private func message(_ method: AMQPContentMethod, _ properties: AMQPBasicProperties, _ body: ByteBuffer)
    -> AMQPMessage
  {
    AMQPMessage(body: body, properties: properties, exchange: method.exchange, routingKey: method.routingKey)
  }
}
