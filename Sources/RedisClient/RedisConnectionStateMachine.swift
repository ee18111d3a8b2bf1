import DequeModule
import RedisProtocol

/// The state of one connection: commands wait for their replies in the order they were
/// written, push messages go to subscribers, and a closed connection fails whatever waits.
///
/// Generic over what a waiting command is, so the transitions are tested without any I/O;
/// the channel handler stores promises in it and executes the actions it returns.
struct RedisConnectionStateMachine<Pending> {
  enum State {
    case active
    case closing
    case closed
  }

  enum WriteAction {
    case write
    case fail(Pending, RedisError)
  }

  enum ReadAction {
    case succeed(Pending, RESPValue)
    case fail(Pending, RedisError)
    case deliverPush(RESPValue)
    /// A reply nobody asked for: the stream cannot be trusted any more.
    case closeConnection(RedisError)
  }

  enum CloseAction {
    case failAll([Pending], RedisError)
    case none
  }

  private(set) var state: State = .active
  private var pending: Deque<Pending> = []

  var inFlight: Int { pending.count }

  /// The command written first of those still waiting: the next reply is its.
  var oldest: Pending? { pending.first }

  mutating func commandWritten(_ command: Pending) -> WriteAction {
    switch state {
    case .active:
      pending.append(command)
      return .write
    case .closing, .closed:
      return .fail(command, .connectionClosed)
    }
  }

  mutating func valueReceived(_ value: RESPValue) -> ReadAction {
    if case .push = value { return .deliverPush(value) }
    guard let next = pending.popFirst() else {
      return .closeConnection(.protocolViolation("reply without a command"))
    }
    if let message = value.errorMessage {
      return .fail(next, .server(message))
    }
    return .succeed(next, value)
  }

  /// The connection is going away on purpose: new commands are refused, the ones in flight
  /// still get their replies.
  mutating func closeRequested() {
    if case .active = state { state = .closing }
  }

  mutating func connectionClosed(_ error: RedisError) -> CloseAction {
    state = .closed
    guard !pending.isEmpty else { return .none }
    let failed = Array(pending)
    pending.removeAll()
    return .failAll(failed, error)
  }
}
