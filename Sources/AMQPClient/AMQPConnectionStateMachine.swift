import AMQPProtocol
import NIOCore

/// What the client and broker agreed in `connection.tune` / `tune-ok`.
struct AMQPTuning: Sendable, Equatable {
  var channelMax: UInt16
  var frameMax: UInt32
  /// Seconds between heartbeats; 0 when they are off.
  var heartbeat: UInt16
}

/// The state of the connection itself (channel 0): the handshake, heartbeats, resource alarms
/// and the close handshake.
///
/// Tested without I/O: the channel handler feeds it methods and clock ticks and executes the
/// actions it returns.
struct AMQPConnectionStateMachine {
  enum State {
    case awaitingStart
    case awaitingTune
    case awaitingOpenOk(AMQPTuning)
    case open(AMQPTuning)
    /// This side sent `connection.close` and waits for `close-ok`.
    case closing
    case closed
  }

  enum Action {
    case none
    /// Send methods on channel 0.
    case send([AMQPMethod])
    /// Tuning is agreed: apply the limits, start heartbeats, then send `tune-ok` and `open`.
    case tuned(AMQPTuning, send: [AMQPMethod])
    /// `connection.open-ok`: the connection is usable.
    case opened
    case blocked(reason: String)
    case unblocked
    case sendHeartbeat
    /// The connection is over: send `reply` when set, close the socket, fail everything with
    /// `error`.
    case close(AMQPError, reply: AMQPMethod?)
  }

  /// What the client asks for; the broker's `connection.tune` may lower it.
  struct Requested {
    var username: String
    var password: String
    var virtualHost: String
    var clientProperties: AMQPTable
    var channelMax: UInt16
    var frameMax: UInt32
    var heartbeat: UInt16
  }

  private(set) var state: State = .awaitingStart
  private let requested: Requested
  private var lastReceived: NIODeadline
  private var lastSent: NIODeadline
  /// The reason a close was asked for, reported once `close-ok` arrives.
  private var closeReason: AMQPError?

  init(_ requested: Requested, now: NIODeadline) {
    self.requested = requested
    self.lastReceived = now
    self.lastSent = now
  }

  var tuning: AMQPTuning? {
    switch state {
    case .awaitingOpenOk(let tuning), .open(let tuning): tuning
    default: nil
    }
  }

  /// Any frame arrived, which proves the broker is alive.
  mutating func frameReceived(at now: NIODeadline) {
    lastReceived = now
  }

  /// Any frame was written, which spares a heartbeat.
  mutating func frameSent(at now: NIODeadline) {
    lastSent = now
  }

  mutating func methodReceived(_ method: AMQPMethod) -> Action {
    switch (state, method) {
    case (.awaitingStart, .connectionStart(let start)):
      guard start.mechanisms.split(separator: " ").contains("PLAIN") else {
        return refuse(.authenticationFailed, "the broker offers no PLAIN authentication: \(start.mechanisms)")
      }
      state = .awaitingTune
      let response = Array("\0\(requested.username)\0\(requested.password)".utf8)
      let startOk = AMQPMethod.Connection.StartOk(
        clientProperties: requested.clientProperties, mechanism: "PLAIN", response: response)
      return .send([.connectionStartOk(startOk)])
    case (.awaitingTune, .connectionSecure):
      return refuse(.authenticationFailed, "the broker sent a challenge, which PLAIN does not answer")
    case (.awaitingTune, .connectionTune(let tune)):
      let tuning = AMQPTuning(
        channelMax: Self.negotiate(requested.channelMax, tune.channelMax),
        frameMax: max(Self.negotiate(requested.frameMax, tune.frameMax), AMQPFrame.minimumFrameSize),
        heartbeat: Self.negotiateHeartbeat(requested.heartbeat, tune.heartbeat))
      state = .awaitingOpenOk(tuning)
      let tuneOk = AMQPMethod.Connection.Tune(
        channelMax: tuning.channelMax, frameMax: tuning.frameMax, heartbeat: tuning.heartbeat)
      return .tuned(
        tuning,
        send: [
          .connectionTuneOk(tuneOk), .connectionOpen(AMQPMethod.Connection.Open(virtualHost: requested.virtualHost)),
        ])
    case (.awaitingOpenOk(let tuning), .connectionOpenOk):
      state = .open(tuning)
      return .opened
    case (.open, .connectionBlocked(let blocked)):
      return .blocked(reason: blocked.reason)
    case (.open, .connectionUnblocked):
      return .unblocked
    case (.open, .connectionUpdateSecretOk):
      return .none
    case (.closing, .connectionCloseOk):
      state = .closed
      return .close(closeReason ?? AMQPError(.closed), reply: nil)
    case (.closed, _):
      return .none
    case (_, .connectionClose(let close)):
      let handshakeDone: Bool
      switch state {
      case .open, .closing: handshakeDone = true
      default: handshakeDone = false
      }
      state = .closed
      let code: AMQPError.Code =
        !handshakeDone && (close.replyCode == 403 || close.replyCode == 530) ? .authenticationFailed : .connectionClosed
      return .close(
        AMQPError(code, replyCode: close.replyCode, replyText: close.replyText), reply: .connectionCloseOk)
    case (.closing, _):
      return .none  // everything but close and close-ok is discarded while closing
    default:
      return refuse(.protocolViolation, "unexpected \(method.classID).\(method.methodID) on channel 0")
    }
  }

  /// The client wants to close; returns the `connection.close` to send, or nil when the
  /// connection is not open (the caller then just drops the socket).
  mutating func closeRequested(_ reason: AMQPError) -> AMQPMethod? {
    guard case .open = state else {
      state = .closed
      return nil
    }
    state = .closing
    closeReason = reason
    return .connectionClose(AMQPMethod.Connection.Close(replyCode: 200, replyText: "goodbye"))
  }

  /// Called every quarter of the heartbeat interval: sends a heartbeat after half an interval
  /// without writing, and gives up on a broker silent for one and a half intervals. The broker
  /// sends something at least every half interval, so that is three heartbeats missed, and the
  /// silence is noticed before two intervals have passed.
  mutating func heartbeatTick(now: NIODeadline) -> Action {
    guard case .open(let tuning) = state, tuning.heartbeat > 0 else { return .none }
    let interval = TimeAmount.seconds(Int64(tuning.heartbeat))
    let half = TimeAmount.nanoseconds(interval.nanoseconds / 2)
    if now - lastReceived > interval + half {
      state = .closed
      return .close(
        AMQPError(.heartbeatTimeout, detail: "nothing from the broker for \(now - lastReceived)"), reply: nil)
    }
    if now - lastSent >= half { return .sendHeartbeat }
    return .none
  }

  /// The socket closed.
  mutating func connectionClosed() {
    state = .closed
  }

  private mutating func refuse(_ code: AMQPError.Code, _ detail: String) -> Action {
    let error = AMQPError(code, detail: detail)
    let replyCode: UInt16 = code == .protocolViolation ? 503 : 403
    state = .closed
    return .close(
      error, reply: .connectionClose(AMQPMethod.Connection.Close(replyCode: replyCode, replyText: detail)))
  }

  /// The smaller of two limits, where 0 means no limit.
  private static func negotiate<Value: FixedWidthInteger>(_ client: Value, _ server: Value) -> Value {
    if client == 0 { return server }
    if server == 0 { return client }
    return min(client, server)
  }

  /// The client's interval when it turns heartbeats off or asks for a shorter one; the
  /// broker's otherwise.
  private static func negotiateHeartbeat(_ client: UInt16, _ server: UInt16) -> UInt16 {
    if client == 0 || server == 0 { return client == 0 ? 0 : client }
    return min(client, server)
  }
}
