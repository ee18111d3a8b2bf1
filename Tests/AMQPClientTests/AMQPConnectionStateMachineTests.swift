import AMQPProtocol
import NIOCore
import Testing

@testable import AMQPClient

@Suite struct AMQPConnectionStateMachineTests {
  static let requested = AMQPConnectionStateMachine.Requested(
    username: "guest", password: "secret", virtualHost: "/shop", clientProperties: ["product": "test"],
    channelMax: 2047, frameMax: 131_072, heartbeat: 10)
  let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

  func started() -> AMQPMethod {
    .connectionStart(
      .init(versionMajor: 0, versionMinor: 9, serverProperties: [:], mechanisms: "AMQPLAIN PLAIN", locales: "en_US"))
  }

  func openMachine(serverHeartbeat: UInt16 = 60) -> AMQPConnectionStateMachine {
    var machine = AMQPConnectionStateMachine(Self.requested, now: start)
    _ = machine.methodReceived(started())
    _ = machine.methodReceived(.connectionTune(.init(channelMax: 0, frameMax: 65_536, heartbeat: serverHeartbeat)))
    _ = machine.methodReceived(.connectionOpenOk)
    return machine
  }

  @Test func handshakeSendsPlainCredentialsAndNegotiatesLimits() {
    var machine = AMQPConnectionStateMachine(Self.requested, now: start)
    guard case .send(let methods) = machine.methodReceived(started()), methods.count == 1,
      case .connectionStartOk(let startOk) = methods[0]
    else {
      Issue.record("no start-ok"); return
    }
    #expect(startOk.mechanism == "PLAIN")
    #expect(startOk.response == Array("\0guest\0secret".utf8))
    #expect(startOk.clientProperties["product"]?.stringValue == "test")
    let tune = AMQPMethod.connectionTune(.init(channelMax: 0, frameMax: 65_536, heartbeat: 60))
    guard case .tuned(let tuning, let methods) = machine.methodReceived(tune) else {
      Issue.record("no tune-ok"); return
    }
    #expect(tuning == AMQPTuning(channelMax: 2047, frameMax: 65_536, heartbeat: 10))
    #expect(
      methods == [
        .connectionTuneOk(.init(channelMax: 2047, frameMax: 65_536, heartbeat: 10)),
        .connectionOpen(.init(virtualHost: "/shop")),
      ])
    guard case .opened = machine.methodReceived(.connectionOpenOk) else { Issue.record("not opened"); return }
  }

  @Test func refusedCredentialsAreAnAuthenticationFailure() {
    var machine = AMQPConnectionStateMachine(Self.requested, now: start)
    _ = machine.methodReceived(started())
    let close = AMQPMethod.connectionClose(.init(replyCode: 403, replyText: "ACCESS_REFUSED - Login was refused"))
    guard case .close(let error, let reply) = machine.methodReceived(close) else { Issue.record("no close"); return }
    #expect(error.code == .authenticationFailed && error.replyCode == 403)
    #expect(reply == .connectionCloseOk)
  }

  @Test func aBrokerWithoutPlainIsRefused() {
    var machine = AMQPConnectionStateMachine(Self.requested, now: start)
    let start = AMQPMethod.connectionStart(
      .init(versionMajor: 0, versionMinor: 9, serverProperties: [:], mechanisms: "EXTERNAL", locales: "en_US"))
    guard case .close(let error, _) = machine.methodReceived(start) else { Issue.record("accepted"); return }
    #expect(error.code == .authenticationFailed)
  }

  @Test func blockedAndUnblockedAreReported() {
    var machine = openMachine()
    guard
      case .blocked(reason: "low on memory") = machine.methodReceived(
        .connectionBlocked(.init(reason: "low on memory")))
    else { Issue.record("blocked"); return }
    guard case .unblocked = machine.methodReceived(.connectionUnblocked) else { Issue.record("unblocked"); return }
  }

  @Test func heartbeatsAreSentWhenIdleAndASilentBrokerIsGivenUp() {
    var machine = openMachine()
    // Interval 10 s: a heartbeat after 5 s without writing; silence of more than 15 s is fatal.
    guard case .none = machine.heartbeatTick(now: start + .milliseconds(2500)) else { Issue.record("early"); return }
    guard case .sendHeartbeat = machine.heartbeatTick(now: start + .seconds(5)) else { Issue.record("no beat"); return }
    machine.frameSent(at: start + .seconds(5))
    machine.frameReceived(at: start + .seconds(6))
    guard case .none = machine.heartbeatTick(now: start + .milliseconds(7500)) else { Issue.record("beat"); return }
    guard case .sendHeartbeat = machine.heartbeatTick(now: start + .seconds(20)) else { Issue.record("alive"); return }
    guard case .close(let error, nil) = machine.heartbeatTick(now: start + .milliseconds(21_500)) else {
      Issue.record("a silent broker went unnoticed"); return
    }
    #expect(error.code == .heartbeatTimeout && error.isRetryable)
  }

  @Test func closeHandshake() {
    var machine = openMachine()
    #expect(machine.closeRequested(AMQPError(.closed)) == .connectionClose(.init(replyCode: 200, replyText: "goodbye")))
    guard case .none = machine.methodReceived(.connectionBlocked(.init(reason: "x"))) else {
      Issue.record("not discarded while closing"); return
    }
    guard case .close(let error, nil) = machine.methodReceived(.connectionCloseOk) else {
      Issue.record("close-ok"); return
    }
    #expect(error.code == .closed)
  }

  @Test func forcedCloseIsRetryable() {
    var machine = openMachine()
    let close = AMQPMethod.connectionClose(.init(replyCode: 320, replyText: "CONNECTION_FORCED - shutdown"))
    guard case .close(let error, .connectionCloseOk) = machine.methodReceived(close) else {
      Issue.record("close"); return
    }
    #expect(error.code == .connectionClosed && error.isRetryable)
  }
}
