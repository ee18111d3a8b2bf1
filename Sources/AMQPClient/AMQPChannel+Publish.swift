import AMQPProtocol
import NIOCore

extension AMQPChannel {
  /// Publishes a message.
  ///
  /// In confirm mode (``confirmSelect(timeout:)``) this returns once the broker has confirmed
  /// the message: for a persistent message to a durable queue, once it is on disk. It throws
  /// ``AMQPError/Code/messageNacked`` when the broker refuses it and, for a `mandatory`
  /// message no queue takes, ``AMQPError/Code/messageReturned`` with the broker's reply code
  /// and text. When the connection is lost before the confirmation, it throws the retryable
  /// ``AMQPError/Code/connectionLost``: the message may or may not have arrived, and sending
  /// it again is safe for consumers that drop duplicates. Without confirm mode it returns once
  /// the message is written.
  ///
  /// While the broker blocks publishing (a memory or disk alarm, ``AMQPConnection/isBlocked``)
  /// or the connection is recovering, the call waits, up to `timeout` (the configuration's
  /// operation timeout by default), and then throws ``AMQPError/Code/timeout``. Many publishes
  /// may be in flight at once, from any number of tasks.
  public func publish(
    _ body: ByteBuffer, exchange: String = "", routingKey: String, mandatory: Bool = false,
    properties: AMQPBasicProperties = AMQPBasicProperties(), timeout: Duration? = nil
  ) async throws {
    try await startPublish(
      body, exchange: exchange, routingKey: routingKey, mandatory: mandatory, properties: properties,
      timeout: timeout
    ).confirmed()
  }

  /// Publishes a message without waiting for its confirmation, which the returned value
  /// awaits; for one task keeping many publishes in flight in a known order.
  ///
  /// Messages started by one task on one channel go out, and reach a queue, in the order of
  /// the calls. The call itself waits only while the connection is recovering or blocked, as
  /// ``publish(_:exchange:routingKey:mandatory:properties:timeout:)`` does; `timeout` also
  /// bounds the wait for the confirmation.
  public func startPublish(
    _ body: ByteBuffer, exchange: String = "", routingKey: String, mandatory: Bool = false,
    properties: AMQPBasicProperties = AMQPBasicProperties(), timeout: Duration? = nil
  ) async throws -> AMQPPublishConfirmation {
    let deadline = connection.deadline(timeout)
    try checkOpen()
    let transport = try await connection.transport(publishing: true, until: deadline)
    let promise = transport.eventLoop.makePromise(of: Void.self)
    let publish = AMQPMethod.Basic.Publish(exchange: exchange, routingKey: routingKey, mandatory: mandatory)
    transport.channel.writeAndFlush(AMQPCommand.publish(number, publish, properties, body, promise), promise: nil)
    return AMQPPublishConfirmation(transport: transport, promise: promise, deadline: deadline, channel: number)
  }

  /// Publishes a message whose body is given as bytes or a string's UTF-8.
  public func publish(
    _ body: some Collection<UInt8>, exchange: String = "", routingKey: String, mandatory: Bool = false,
    properties: AMQPBasicProperties = AMQPBasicProperties(), timeout: Duration? = nil
  ) async throws {
    try await publish(
      ByteBuffer(bytes: body), exchange: exchange, routingKey: routingKey, mandatory: mandatory,
      properties: properties, timeout: timeout)
  }
}

/// The pending confirmation of a message published with
/// ``AMQPChannel/startPublish(_:exchange:routingKey:mandatory:properties:timeout:)``.
public struct AMQPPublishConfirmation: Sendable {
  let transport: AMQPTransport
  let promise: EventLoopPromise<Void>
  let deadline: NIODeadline
  let channel: UInt16

  /// Waits until the broker confirms the message; throws as
  /// ``AMQPChannel/publish(_:exchange:routingKey:mandatory:properties:timeout:)`` does.
  public func confirmed() async throws {
    try await transport.wait(for: promise, until: deadline, "confirmation of a publish on channel \(channel)")
  }
}
