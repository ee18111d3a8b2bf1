import AMQPProtocol
import DequeModule
import NIOCore

/// What answers a synchronous request: a method, and for `basic.get-ok` the message too.
enum AMQPReply: Sendable {
  case method(AMQPMethod)
  case message(AMQPMethod.Basic.GetOk, AMQPMessage)
}

/// The state of one AMQP channel: requests waiting for their replies in order, publishes
/// waiting for confirmation, consumers, and a message being reassembled from its frames.
///
/// Generic over what waits (a request's `RPC`, a publish's `Confirm`) and where a consumer's
/// deliveries go (`Sink`), so the transitions are tested without any I/O; the channel handler
/// stores promises and buffers in it and executes the actions it returns.
struct AMQPChannelStateMachine<RPC, Confirm, Sink> {
  enum State {
    case opening
    case open
    /// This side sent `channel.close` and waits for `close-ok`; everything else is dropped.
    case closing
    case closed
  }

  enum Action {
    case none
    /// Send a method on this channel.
    case send(AMQPMethod)
    case succeedRPC(RPC, AMQPReply)
    /// A delivery for one of the channel's consumers.
    case deliver(Sink, AMQPMethod.Basic.Deliver, AMQPMessage)
    /// A delivery for a consumer that is gone; it is handed back to the broker.
    case requeue(deliveryTag: UInt64)
    /// Publishes confirmed, each with `nil` or the error it failed with.
    case confirmed([(Confirm, AMQPError?)])
    /// A client-requested `basic.cancel` is done: its consumer ends normally.
    case consumerCancelled(RPC, Sink?)
    /// The broker cancelled a consumer (its queue was deleted); `reply` must be sent when set.
    case consumerCancelledByBroker(Sink, AMQPError, reply: AMQPMethod?)
    /// A returned message that matched no mandatory publish waiting for confirmation.
    case unmatchedReturn(AMQPMethod.Basic.Return, AMQPMessage)
    /// The channel is closed: fail what waits, end the consumers (normally when `error` is the
    /// client's own close), and send `reply` when set.
    case closed(Closure)
    /// The broker broke the protocol; the connection must be closed.
    case closeConnection(AMQPError)
  }

  struct Closure {
    var error: AMQPError
    var rpcs: [RPC]
    var confirms: [Confirm]
    var sinks: [Sink]
    var reply: AMQPMethod?
    /// The client's `channel.close` request, completed once the broker confirmed it.
    var closeRequest: RPC?
  }

  enum PublishAction {
    /// Write the message; when `tracked`, its confirmation will come as `.confirmed`.
    case write(tracked: Bool)
    case fail(AMQPError)
  }

  private(set) var state: State = .opening
  private var rpcs: Deque<(request: AMQPMethod, waiter: RPC)> = []
  private var confirms = AMQPConfirmTracker<Confirm>()
  private var consumers: [String: Sink] = [:]
  private var content = AMQPContentAssembler()
  private var closeRequest: RPC?
  private(set) var isConfirmMode = false

  /// Publishes awaiting confirmation.
  var unconfirmedCount: Int { confirms.count }
  var consumerTags: [String] { Array(consumers.keys) }

  /// Opens the channel; `waiter` gets `channel.open-ok`.
  mutating func openRequested(_ waiter: RPC) -> AMQPMethod {
    rpcs.append((.channelOpen, waiter))
    return .channelOpen
  }

  /// A synchronous request: write it, its waiter gets the reply. `basic.consume` registers its
  /// consumer first, so that deliveries right after `consume-ok` find it.
  mutating func requestSent(_ request: AMQPMethod, _ waiter: RPC, consumer: Sink? = nil) -> AMQPError? {
    guard case .open = state else { return stateError }
    if case .basicConsume(let consume) = request, let consumer { consumers[consume.consumerTag] = consumer }
    if case .confirmSelect = request { isConfirmMode = true }
    rpcs.append((request, waiter))
    return nil
  }

  /// A method without reply (`basic.ack`, `basic.nack`, `basic.reject`): may it be written?
  func asynchronousSend() -> AMQPError? {
    guard case .open = state else { return stateError }
    return nil
  }

  /// A `basic.publish`: in confirm mode the publish is tracked until the broker confirms it,
  /// and a `mandatory` one is matched with a `basic.return`.
  mutating func publishSent(_ publish: AMQPMethod.Basic.Publish, _ waiter: Confirm) -> PublishAction {
    guard case .open = state else { return .fail(stateError) }
    guard isConfirmMode else { return .write(tracked: false) }
    let route = publish.mandatory ? AMQPConfirmTracker<Confirm>.Route(publish.exchange, publish.routingKey) : nil
    _ = confirms.published(waiter, mandatoryRoute: route)
    return .write(tracked: true)
  }

  /// Closes the channel from this side; `waiter` gets `close-ok`.
  mutating func closeRequested(_ waiter: RPC) -> AMQPMethod? {
    guard case .open = state else { return nil }
    state = .closing
    closeRequest = waiter
    return .channelClose(AMQPMethod.Channel.Close(replyCode: 200, replyText: "goodbye"))
  }

  mutating func methodReceived(_ method: AMQPMethod) -> Action {
    if case .closing = state {
      switch method {
      case .channelCloseOk, .channelClose: break
      default: return .none  // the specification asks to discard everything else while closing
      }
    }
    guard content.isIdle else {
      return .closeConnection(AMQPError(.protocolViolation, detail: "\(method) interrupted a message's content"))
    }
    switch method {
    case .basicDeliver(let deliver):
      return contentStarted(.deliver(deliver))
    case .basicReturn(let returned):
      return contentStarted(.return(returned))
    case .basicGetOk(let getOk):
      guard replyIndex(method) != nil else { return unexpected(method) }
      return contentStarted(.getOk(getOk))
    case .basicAck(let ack):
      return .confirmed(confirms.acked(ack.deliveryTag, multiple: ack.multiple))
    case .basicNack(let nack):
      let error = AMQPError(.messageNacked, detail: "the broker refused the message")
      return .confirmed(confirms.nacked(nack.deliveryTag, multiple: nack.multiple).map { ($0, error) })
    case .basicCancel(let cancel):
      guard let sink = consumers.removeValue(forKey: cancel.consumerTag) else { return .none }
      // A cancel this side asked for may now never be answered; it is done all the same.
      if let index = consumerRequestIndex(tag: cancel.consumerTag, cancel: true) {
        rpcs.remove(at: index)
      }
      let error = AMQPError(.consumerCancelled, detail: "consumer \(cancel.consumerTag) cancelled by the broker")
      let reply: AMQPMethod? =
        cancel.noWait ? nil : .basicCancelOk(AMQPMethod.Basic.CancelOk(consumerTag: cancel.consumerTag))
      return .consumerCancelledByBroker(sink, error, reply: reply)
    case .basicConsumeOk(let consumeOk):
      guard let index = consumerRequestIndex(tag: consumeOk.consumerTag, cancel: false) else {
        return unexpected(method)
      }
      return .succeedRPC(rpcs.remove(at: index).waiter, .method(method))
    case .basicCancelOk(let cancelOk):
      // Unknown when the broker cancelled the consumer first; nothing waits for it then.
      guard let index = consumerRequestIndex(tag: cancelOk.consumerTag, cancel: true) else { return .none }
      return .consumerCancelled(rpcs.remove(at: index).waiter, consumers.removeValue(forKey: cancelOk.consumerTag))
    case .channelFlow(let flow):
      // RabbitMQ no longer pauses channels this way (it blocks the connection instead), so the
      // request is only acknowledged.
      return .send(.channelFlowOk(flow))
    case .channelClose(let close):
      let error = AMQPError(.channelClosed, replyCode: close.replyCode, replyText: close.replyText)
      return closed(error, reply: .channelCloseOk)
    case .channelCloseOk:
      guard case .closing = state else { return unexpected(method) }
      return closed(AMQPError(.closed, detail: "the channel was closed"), reply: nil)
    default:
      guard let index = replyIndex(method) else { return unexpected(method) }
      let waiter = rpcs.remove(at: index).waiter
      if case .channelOpenOk = method { state = .open }
      return .succeedRPC(waiter, .method(method))
    }
  }

  /// The request a reply answers: the oldest one still waiting, passing over `basic.consume`
  /// and `basic.cancel`. RabbitMQ answers those from the queue's process rather than the
  /// channel's, so their replies may come after the replies to later requests; they are
  /// matched by consumer tag instead.
  private func replyIndex(_ reply: AMQPMethod) -> Int? {
    for index in rpcs.indices {
      let request = rpcs[index].request
      if request.isAnswered(by: reply) { return index }
      switch request {
      case .basicConsume, .basicCancel: continue
      default: return nil
      }
    }
    return nil
  }

  private func consumerRequestIndex(tag: String, cancel: Bool) -> Int? {
    rpcs.firstIndex { entry in
      switch entry.request {
      case .basicConsume(let consume): !cancel && consume.consumerTag == tag
      case .basicCancel(let request): cancel && request.consumerTag == tag
      default: false
      }
    }
  }

  mutating func headerReceived(_ header: AMQPContentHeader) -> Action {
    if case .closing = state { return .none }
    do {
      guard let (method, message) = try content.headerReceived(header) else { return .none }
      return contentCompleted(method, message)
    } catch {
      return .closeConnection(error)
    }
  }

  mutating func bodyReceived(_ body: ByteBuffer) -> Action {
    if case .closing = state { return .none }
    do {
      guard let (method, message) = try content.bodyReceived(body) else { return .none }
      return contentCompleted(method, message)
    } catch {
      return .closeConnection(error)
    }
  }

  /// The connection is gone: returns what waits, to fail. Consumers are left to the caller,
  /// which resumes them on the next connection.
  mutating func connectionLost() -> (rpcs: [RPC], confirms: [Confirm]) {
    state = .closed
    var failed = rpcs.map(\.waiter)
    if let closeRequest { failed.append(closeRequest) }
    rpcs.removeAll()
    closeRequest = nil
    consumers.removeAll()
    return (failed, confirms.removeAll())
  }

  private var stateError: AMQPError {
    switch state {
    case .opening, .open: AMQPError(.protocolViolation, detail: "the channel is not open yet")
    case .closing, .closed: AMQPError(.closed, detail: "the channel is closed")
    }
  }

  private mutating func contentStarted(_ method: AMQPContentMethod) -> Action {
    content.methodReceived(method)
    return .none
  }

  private mutating func contentCompleted(_ method: AMQPContentMethod, _ message: AMQPMessage) -> Action {
    switch method {
    case .deliver(let deliver):
      guard let sink = consumers[deliver.consumerTag] else { return .requeue(deliveryTag: deliver.deliveryTag) }
      return .deliver(sink, deliver, message)
    case .getOk(let getOk):
      let waiter = rpcs.remove(at: replyIndex(.basicGetOk(getOk))!).waiter
      return .succeedRPC(waiter, .message(getOk, message))
    case .return(let returned):
      let error = AMQPError(.messageReturned, replyCode: returned.replyCode, replyText: returned.replyText)
      let route = AMQPConfirmTracker<Confirm>.Route(returned.exchange, returned.routingKey)
      return confirms.returned(route, error: error) ? .none : .unmatchedReturn(returned, message)
    }
  }

  private mutating func closed(_ error: AMQPError, reply: AMQPMethod?) -> Action {
    state = .closed
    let closure = Closure(
      error: error, rpcs: rpcs.map(\.waiter), confirms: confirms.removeAll(), sinks: Array(consumers.values),
      reply: reply, closeRequest: closeRequest)
    rpcs.removeAll()
    consumers.removeAll()
    closeRequest = nil
    return .closed(closure)
  }

  private func unexpected(_ method: AMQPMethod) -> Action {
    return .closeConnection(AMQPError(.protocolViolation, detail: "unexpected \(method.classID).\(method.methodID)"))
  }
}

extension AMQPConfirmTracker.Route {
  init(_ exchange: String, _ routingKey: String) {
    self.init(exchange: exchange, routingKey: routingKey)
  }
}
