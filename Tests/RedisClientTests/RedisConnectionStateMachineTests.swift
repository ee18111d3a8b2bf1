import RedisProtocol
import Testing

@testable import RedisClient

@Suite struct RedisConnectionStateMachineTests {
  typealias Machine = RedisConnectionStateMachine<Int>

  @Test func repliesCompleteCommandsInTheOrderTheyWereWritten() {
    var machine = Machine()
    for id in 1...3 { guard case .write = machine.commandWritten(id) else { Issue.record("must write"); return } }
    #expect(machine.inFlight == 3)
    guard case .succeed(1, .simpleString("OK")) = machine.valueReceived(.simpleString("OK")) else {
      Issue.record("the first command gets the first reply"); return
    }
    guard case .fail(2, .server("ERR wrong")) = machine.valueReceived(.simpleError("ERR wrong")) else {
      Issue.record("an error reply fails its command"); return
    }
    guard case .succeed(3, .integer(7)) = machine.valueReceived(.integer(7)) else {
      Issue.record("the third command gets the third reply"); return
    }
    #expect(machine.inFlight == 0)
  }

  @Test func theOldestCommandIsTheOneTheNextReplyAnswers() {
    var machine = Machine()
    #expect(machine.oldest == nil)
    _ = machine.commandWritten(1)
    _ = machine.commandWritten(2)
    #expect(machine.oldest == 1)
    _ = machine.valueReceived(.integer(0))
    #expect(machine.oldest == 2)
  }

  @Test func pushMessagesDoNotConsumeAReply() {
    var machine = Machine()
    _ = machine.commandWritten(1)
    let push = RESPValue.push([.simpleString("message"), .simpleString("news"), .simpleString("hi")])
    guard case .deliverPush(push) = machine.valueReceived(push) else { Issue.record("push must be delivered"); return }
    #expect(machine.inFlight == 1)
  }

  @Test func anUnsolicitedReplyClosesTheConnection() {
    var machine = Machine()
    guard case .closeConnection(.protocolViolation) = machine.valueReceived(.integer(1)) else {
      Issue.record("a reply without a command must close the connection"); return
    }
  }

  @Test func closingFailsEverythingInFlightAndRefusesNewCommands() {
    var machine = Machine()
    _ = machine.commandWritten(1)
    _ = machine.commandWritten(2)
    guard case .failAll(let failed, .connectionClosed) = machine.connectionClosed(.connectionClosed) else {
      Issue.record("in-flight commands must fail"); return
    }
    #expect(failed == [1, 2])
    guard case .fail(3, .connectionClosed) = machine.commandWritten(3) else {
      Issue.record("a closed connection refuses commands"); return
    }
    guard case .none = machine.connectionClosed(.connectionClosed) else { Issue.record("nothing left to fail"); return }
  }

  @Test func aRequestedCloseStillDeliversRepliesInFlight() {
    var machine = Machine()
    _ = machine.commandWritten(1)
    machine.closeRequested()
    guard case .fail(2, .connectionClosed) = machine.commandWritten(2) else { Issue.record("closing refuses"); return }
    guard case .succeed(1, _) = machine.valueReceived(.simpleString("OK")) else {
      Issue.record("reply delivered"); return
    }
  }
}
