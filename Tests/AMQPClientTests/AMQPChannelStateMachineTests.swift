import AMQPProtocol
import NIOCore
import Testing

@testable import AMQPClient

@Suite struct AMQPChannelStateMachineTests {
  typealias Machine = AMQPChannelStateMachine<String, String, String>

  func openMachine() -> Machine {
    var machine = Machine()
    _ = machine.openRequested("open")
    guard case .succeedRPC("open", .method(.channelOpenOk)) = machine.methodReceived(.channelOpenOk) else {
      Issue.record("channel.open-ok did not open the channel")
      return machine
    }
    return machine
  }

  func delivery(_ tag: UInt64, consumer: String = "c1") -> AMQPMethod {
    .basicDeliver(.init(consumerTag: consumer, deliveryTag: tag, redelivered: false, exchange: "", routingKey: "q"))
  }

  @Test func requestsBeforeTheChannelIsOpenAreRefused() {
    var machine = Machine()
    _ = machine.openRequested("open")
    #expect(machine.requestSent(.basicQos(.init(prefetchCount: 1)), "qos")?.code == .protocolViolation)
  }

  @Test func repliesGoToRequestsInOrder() {
    var machine = openMachine()
    #expect(machine.requestSent(.queueDeclare(.init(queue: "a")), "declare") == nil)
    #expect(machine.requestSent(.basicQos(.init(prefetchCount: 5)), "qos") == nil)
    guard
      case .succeedRPC("declare", .method(.queueDeclareOk)) = machine.methodReceived(.queueDeclareOk(.init(queue: "a")))
    else { Issue.record("declare-ok not matched"); return }
    guard case .succeedRPC("qos", _) = machine.methodReceived(.basicQosOk) else { Issue.record("qos-ok"); return }
    guard case .closeConnection(let error) = machine.methodReceived(.basicQosOk) else {
      Issue.record("a reply nobody asked for was accepted"); return
    }
    #expect(error.code == .protocolViolation)
  }

  @Test func consumeAndCancelRepliesAreMatchedByTagEvenWhenLate() {
    var machine = openMachine()
    #expect(machine.requestSent(.basicCancel(.init(consumerTag: "gone")), "cancel") == nil)
    #expect(machine.requestSent(.queueDelete(.init(queue: "q")), "delete") == nil)
    // RabbitMQ may answer the delete before the cancel.
    guard case .succeedRPC("delete", _) = machine.methodReceived(.queueDeleteOk(.init(messageCount: 0))) else {
      Issue.record("delete-ok not matched past the pending cancel"); return
    }
    guard case .consumerCancelled("cancel", nil) = machine.methodReceived(.basicCancelOk(.init(consumerTag: "gone")))
    else { Issue.record("cancel-ok not matched by tag"); return }
  }

  @Test func deliveriesAreAssembledFromFramesAndRoutedToTheirConsumer() {
    var machine = openMachine()
    let consume = AMQPMethod.basicConsume(.init(queue: "q", consumerTag: "c1"))
    #expect(machine.requestSent(consume, "consume", consumer: "sink") == nil)
    guard case .succeedRPC("consume", _) = machine.methodReceived(.basicConsumeOk(.init(consumerTag: "c1"))) else {
      Issue.record("consume-ok"); return
    }
    guard case .none = machine.methodReceived(delivery(1)) else { Issue.record("deliver"); return }
    let properties = AMQPBasicProperties(messageID: "m1")
    guard case .none = machine.headerReceived(AMQPContentHeader(bodySize: 6, properties: properties)) else {
      Issue.record("header"); return
    }
    guard case .none = machine.bodyReceived(ByteBuffer(string: "hel")) else { Issue.record("first body"); return }
    guard case .deliver("sink", let deliver, let message) = machine.bodyReceived(ByteBuffer(string: "lo!")) else {
      Issue.record("the delivery was not completed"); return
    }
    #expect(deliver.deliveryTag == 1)
    #expect(String(buffer: message.body) == "hello!")
    #expect(message.properties.messageID == "m1")

    // An empty body completes with the header; an unknown consumer's delivery goes back.
    _ = machine.methodReceived(delivery(2, consumer: "unknown"))
    guard case .requeue(deliveryTag: 2) = machine.headerReceived(AMQPContentHeader(bodySize: 0)) else {
      Issue.record("a delivery for an unknown consumer was not handed back"); return
    }
  }

  @Test func framesOutOfSequenceCloseTheConnection() {
    var machine = openMachine()
    guard case .closeConnection = machine.bodyReceived(ByteBuffer(string: "x")) else {
      Issue.record("a body without a header was accepted"); return
    }
    var other = openMachine()
    _ = other.methodReceived(delivery(1))
    guard case .closeConnection = other.methodReceived(.basicQosOk) else {
      Issue.record("a method inside a message's content was accepted"); return
    }
    var third = openMachine()
    _ = third.methodReceived(delivery(1))
    _ = third.headerReceived(AMQPContentHeader(bodySize: 2))
    guard case .closeConnection = third.bodyReceived(ByteBuffer(string: "abc")) else {
      Issue.record("a body longer than announced was accepted"); return
    }
  }

  @Test func getAnswersWithAMessageOrEmpty() {
    var machine = openMachine()
    #expect(machine.requestSent(.basicGet(.init(queue: "q")), "get1") == nil)
    #expect(machine.requestSent(.basicGet(.init(queue: "q")), "get2") == nil)
    let getOk = AMQPMethod.Basic.GetOk(
      deliveryTag: 7, redelivered: true, exchange: "", routingKey: "q", messageCount: 0)
    _ = machine.methodReceived(.basicGetOk(getOk))
    _ = machine.headerReceived(AMQPContentHeader(bodySize: 1))
    guard case .succeedRPC("get1", .message(let ok, let message)) = machine.bodyReceived(ByteBuffer(string: "z")) else {
      Issue.record("get-ok"); return
    }
    #expect(ok.deliveryTag == 7 && String(buffer: message.body) == "z")
    guard case .succeedRPC("get2", .method(.basicGetEmpty)) = machine.methodReceived(.basicGetEmpty) else {
      Issue.record("get-empty"); return
    }
  }

  @Test func confirmsAndReturnsOfMandatoryPublishes() {
    var machine = openMachine()
    #expect(machine.requestSent(.confirmSelect(.init()), "select") == nil)
    let routed = AMQPMethod.Basic.Publish(routingKey: "q", mandatory: true)
    let unroutable = AMQPMethod.Basic.Publish(exchange: "amq.direct", routingKey: "none", mandatory: true)
    guard case .write(tracked: true) = machine.publishSent(routed, "p1"),
      case .write(tracked: true) = machine.publishSent(unroutable, "p2"),
      case .write(tracked: true) = machine.publishSent(routed, "p3")
    else { Issue.record("publishes in confirm mode were not tracked"); return }
    #expect(machine.unconfirmedCount == 3)
    _ = machine.methodReceived(
      .basicReturn(.init(replyCode: 312, replyText: "NO_ROUTE", exchange: "amq.direct", routingKey: "none")))
    guard case .none = machine.headerReceived(AMQPContentHeader(bodySize: 0)) else { Issue.record("return"); return }
    guard case .confirmed(let outcomes) = machine.methodReceived(.basicAck(.init(deliveryTag: 2, multiple: true)))
    else { Issue.record("ack"); return }
    #expect(outcomes.map(\.0) == ["p1", "p2"])
    #expect(outcomes.map { $0.1?.code } == [nil, .messageReturned])
    guard case .confirmed(let nacked) = machine.methodReceived(.basicNack(.init(deliveryTag: 3))) else {
      Issue.record("nack"); return
    }
    #expect(nacked.first?.1?.code == .messageNacked)
  }

  @Test func brokerCancelEndsTheConsumerWithAnError() {
    var machine = openMachine()
    _ = machine.requestSent(.basicConsume(.init(queue: "q", consumerTag: "c1")), "consume", consumer: "sink")
    _ = machine.methodReceived(.basicConsumeOk(.init(consumerTag: "c1")))
    guard
      case .consumerCancelledByBroker("sink", let error, let reply) = machine.methodReceived(
        .basicCancel(.init(consumerTag: "c1", noWait: false)))
    else { Issue.record("broker cancel"); return }
    #expect(error.code == .consumerCancelled)
    #expect(reply == .basicCancelOk(.init(consumerTag: "c1")))
  }

  @Test func channelCloseFromTheBrokerFailsEverythingWithItsReplyCode() {
    var machine = openMachine()
    _ = machine.requestSent(.confirmSelect(.init()), "select")
    _ = machine.methodReceived(.confirmSelectOk)
    _ = machine.requestSent(.basicConsume(.init(queue: "q", consumerTag: "c1")), "consume", consumer: "sink")
    _ = machine.publishSent(.init(routingKey: "q"), "publish")
    let close = AMQPMethod.Channel.Close(
      replyCode: 404, replyText: "NOT_FOUND - no queue 'q'", classID: 60, methodID: 20)
    guard case .closed(let closure) = machine.methodReceived(.channelClose(close)) else {
      Issue.record("channel.close"); return
    }
    #expect(closure.error.code == .channelClosed && closure.error.replyCode == 404)
    #expect(closure.rpcs == ["consume"] && closure.confirms == ["publish"] && closure.sinks == ["sink"])
    #expect(closure.reply == .channelCloseOk)
    #expect(machine.requestSent(.basicQos(.init(prefetchCount: 1)), "late")?.code == .closed)
  }

  @Test func clientCloseDiscardsFramesUntilCloseOk() {
    var machine = openMachine()
    #expect(machine.closeRequested("close") != nil)
    guard case .none = machine.methodReceived(delivery(1)) else { Issue.record("deliver while closing"); return }
    guard case .closed(let closure) = machine.methodReceived(.channelCloseOk) else { Issue.record("close-ok"); return }
    #expect(closure.closeRequest == "close" && closure.error.code == .closed)
  }
}
