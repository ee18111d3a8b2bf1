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
    let (transport, deadline) = try await transport(publishing: true, timeout: timeout)
    let promise = transport.eventLoop.makePromise(of: Void.self)
    let publish = AMQPMethod.Basic.Publish(exchange: exchange, routingKey: routingKey, mandatory: mandatory)
    let request = AMQPPublishRequest(method: publish, properties: properties, body: body, promise: promise)
    transport.send(.publish(number, request, deadline: deadline))
    return AMQPPublishConfirmation(promise: promise)
  }

  /// Publishes several messages in one write, without waiting for their confirmations, which
  /// the returned values await, in the same order.
  ///
  /// Cheaper than one ``startPublish(_:exchange:routingKey:mandatory:properties:timeout:)``
  /// per message when a producer has many ready at once; otherwise the same.
  public func startPublish(_ messages: [AMQPOutgoingMessage], timeout: Duration? = nil) async throws
    -> [AMQPPublishConfirmation]
  {
    let (transport, deadline) = try await transport(publishing: true, timeout: timeout)
    let requests = messages.map { message in
      AMQPPublishRequest(
        method: AMQPMethod.Basic.Publish(
          exchange: message.exchange, routingKey: message.routingKey, mandatory: message.mandatory),
        properties: message.properties, body: message.body, promise: transport.eventLoop.makePromise(of: Void.self))
    }
    transport.send(.publishBatch(number, requests, deadline: deadline))
    return requests.map { AMQPPublishConfirmation(promise: $0.promise) }
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
  let promise: EventLoopPromise<Void>

  /// Waits until the broker confirms the message; throws as
  /// ``AMQPChannel/publish(_:exchange:routingKey:mandatory:properties:timeout:)`` does.
  /// Cancelling the waiting task stops the wait, not the publish.
  public func confirmed() async throws {
    let promise = self.promise
    try await withTaskCancellationHandler {
      try await promise.futureResult.get()
    } onCancel: {
      promise.fail(CancellationError())
    }
  }
}

/// A message to publish with ``AMQPChannel/startPublish(_:timeout:)``.
public struct AMQPOutgoingMessage: Sendable {
  /// The body.
  public var body: ByteBuffer
  /// The exchange; empty for the default exchange, which routes by queue name.
  public var exchange: String
  /// The routing key.
  public var routingKey: String
  /// Whether the broker returns the message when no queue takes it.
  public var mandatory: Bool
  /// The properties, headers included.
  public var properties: AMQPBasicProperties

  /// Creates a message.
  public init(
    _ body: ByteBuffer, exchange: String = "", routingKey: String, mandatory: Bool = false,
    properties: AMQPBasicProperties = AMQPBasicProperties()
  ) {
    self.body = body
    self.exchange = exchange
    self.routingKey = routingKey
    self.mandatory = mandatory
    self.properties = properties
  }
}
