import AMQPProtocol
import CoreMetrics
import NIOCore

extension AMQPChannel {
  /// Starts a consumer on `queue`; its deliveries arrive through the returned sequence.
  ///
  /// Set a prefetch with ``qos(prefetchCount:global:timeout:)`` first, so the broker does not
  /// push the whole queue at once. With `noAck` the broker forgets each message as it sends it.
  /// After a lost connection, recovery starts the consumer again under the same tag.
  public func consume(
    queue: String, consumerTag: String? = nil, noAck: Bool = false, exclusive: Bool = false,
    arguments: AMQPTable = [:], timeout: Duration? = nil
  ) async throws -> AMQPConsumer {
    let tag =
      consumerTag
      ?? withRecord { record in
        defer { record.nextConsumer += 1 }
        return "amqp-swift.\(number).\(record.nextConsumer)"
      }
    let consume = AMQPMethod.Basic.Consume(
      queue: queue, consumerTag: tag, noAck: noAck, exclusive: exclusive, arguments: arguments)
    let buffer = AMQPDeliveryBuffer(consumerTag: tag, channel: self)
    withRecord { $0.consumers[tag] = Consumer(consume: consume, buffer: buffer) }
    do {
      _ = try await request(.basicConsume(consume), consumer: buffer, timeout: timeout)
    } catch {
      _ = withRecord { $0.consumers.removeValue(forKey: tag) }
      buffer.finish(error as? AMQPError)
      throw error
    }
    return AMQPConsumer(buffer: buffer)
  }

  /// Cancels a consumer; its sequence ends normally once the deliveries already sent are taken.
  public func cancel(_ consumer: AMQPConsumer, timeout: Duration? = nil) async throws {
    _ = withRecord { $0.consumers.removeValue(forKey: consumer.consumerTag) }
    defer { consumer.buffer.finish(nil) }
    guard !consumer.buffer.isFinished else { return }
    _ = try await request(.basicCancel(.init(consumerTag: consumer.consumerTag)), timeout: timeout)
  }

  /// Fetches one message from `queue`, or `nil` when it is empty.
  public func get(queue: String, noAck: Bool = false, timeout: Duration? = nil) async throws -> AMQPDelivery? {
    let (transport, deadline) = try await transport(publishing: false, timeout: timeout)
    let reply = try await transport.request(number, .basicGet(.init(queue: queue, noAck: noAck)), until: deadline)
    guard case .message(let getOk, let message) = reply else { return nil }
    return AMQPDelivery(
      message: message, deliveryTag: getOk.deliveryTag, redelivered: getOk.redelivered, consumerTag: "",
      channel: self, epoch: transport.epoch)
  }

  /// Sends an acknowledgement for a delivery that came on connection `epoch`.
  func acknowledge(_ method: AMQPMethod, epoch: UInt64) throws(AMQPError) {
    try checkOpen()
    guard let transport = connection.currentTransport, transport.epoch == epoch else {
      throw AMQPError(
        .connectionLost, detail: "the delivery came on a connection that was lost; the broker delivers it again")
    }
    transport.send(.send(number, method))
    if case .basicAck = method { connection.metrics.acked.increment() }
  }

  /// The iterator of a consumer went away: cancel it on the broker unless it already ended,
  /// and hand back what it never took.
  func consumerAbandoned(_ tag: String, requeue waiting: [AMQPDelivery], cancel: Bool) {
    _ = withRecord { $0.consumers.removeValue(forKey: tag) }
    guard let transport = connection.currentTransport else { return }
    if cancel {
      let ignored = transport.eventLoop.makePromise(of: AMQPReply.self)
      ignored.futureResult.whenFailure { _ in }
      let command = AMQPCommand.request(number, .basicCancel(.init(consumerTag: tag)), ignored, consumer: nil)
      transport.send(command)
    }
    for delivery in waiting where delivery.epoch == transport.epoch {
      transport.send(.send(number, .basicReject(.init(deliveryTag: delivery.deliveryTag))))
    }
  }

  /// The broker cancelled a consumer: recovery must not start it again.
  func consumerCancelledByBroker(_ tag: String) {
    _ = withRecord { $0.consumers.removeValue(forKey: tag) }
  }
}
