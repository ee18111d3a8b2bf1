import AMQPProtocol
import NIOCore
import Synchronization

/// An AMQP channel: the unit that declares, publishes and consumes, many of them sharing one
/// ``AMQPConnection``.
///
/// A channel survives the loss of its connection: recovery opens it again under the same
/// number with its prefetch, confirm or transaction mode and consumers. Operations made while
/// the connection is away wait for it, up to their timeout. A channel the broker closes with a
/// channel exception (such as 404 for a missing queue) stays closed, and every later operation
/// fails with that error; open a new one.
///
/// Synchronous methods are sent as soon as they are called and answered in order, so several
/// tasks may use one channel. Messages published on one channel reach a queue in the order
/// they were published.
public final class AMQPChannel: Sendable {
  /// The channel number on the connection.
  public let number: UInt16
  let connection: AMQPConnection
  private let state = Mutex(Record())

  /// What recovery needs to set the channel up again.
  struct Record {
    var qos: AMQPMethod.Basic.Qos?
    var confirmMode = false
    var transactional = false
    var consumers: [String: Consumer] = [:]
    var closed: AMQPError?
    var nextConsumer = 1
  }

  struct Consumer {
    var consume: AMQPMethod.Basic.Consume
    var buffer: AMQPDeliveryBuffer
  }

  init(number: UInt16, connection: AMQPConnection) {
    self.number = number
    self.connection = connection
  }

  /// Whether the channel may still be used.
  public var isOpen: Bool { state.withLock { $0.closed == nil } }

  // MARK: Exchanges

  /// Declares an exchange, creating it unless it exists with the same settings (a different
  /// type or durability closes the channel with 406). Recovery declares it again.
  public func exchangeDeclare(
    _ name: String, type: String = "direct", durable: Bool = true, autoDelete: Bool = false, internal: Bool = false,
    arguments: AMQPTable = [:], timeout: Duration? = nil
  ) async throws {
    let declare = AMQPMethod.Exchange.Declare(
      exchange: name, type: type, durable: durable, autoDelete: autoDelete, internal: `internal`,
      arguments: arguments)
    _ = try await request(.exchangeDeclare(declare), timeout: timeout)
    connection.record { $0.exchangeDeclared(declare) }
  }

  /// Checks that an exchange exists, without creating it; a missing one closes the channel
  /// with 404.
  public func exchangeDeclarePassive(_ name: String, timeout: Duration? = nil) async throws {
    let declare = AMQPMethod.Exchange.Declare(exchange: name, type: "", passive: true)
    _ = try await request(.exchangeDeclare(declare), timeout: timeout)
  }

  /// Deletes an exchange; with `ifUnused`, only when no queue or exchange is bound to it.
  public func exchangeDelete(_ name: String, ifUnused: Bool = false, timeout: Duration? = nil) async throws {
    _ = try await request(.exchangeDelete(.init(exchange: name, ifUnused: ifUnused)), timeout: timeout)
    connection.record { $0.exchangeDeleted(name) }
  }

  /// Routes messages from `source` to the exchange `destination` (a RabbitMQ extension).
  public func exchangeBind(
    destination: String, source: String, routingKey: String = "", arguments: AMQPTable = [:],
    timeout: Duration? = nil
  ) async throws {
    let bind = AMQPMethod.Exchange.Binding(
      destination: destination, source: source, routingKey: routingKey, arguments: arguments)
    _ = try await request(.exchangeBind(bind), timeout: timeout)
    connection.record { $0.exchangeBound(bind) }
  }

  /// Removes a binding made with ``exchangeBind(destination:source:routingKey:arguments:timeout:)``.
  public func exchangeUnbind(
    destination: String, source: String, routingKey: String = "", arguments: AMQPTable = [:],
    timeout: Duration? = nil
  ) async throws {
    let unbind = AMQPMethod.Exchange.Binding(
      destination: destination, source: source, routingKey: routingKey, arguments: arguments)
    _ = try await request(.exchangeUnbind(unbind), timeout: timeout)
    connection.record { $0.exchangeUnbound(unbind) }
  }

  // MARK: Queues

  /// Declares a queue, creating it unless it exists with the same settings (different
  /// arguments close the channel with 406); an empty name lets the broker choose one.
  /// Recovery declares it again. ``AMQPQueueArguments`` builds the usual arguments.
  @discardableResult
  public func queueDeclare(
    _ name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
    arguments: AMQPTable = [:], timeout: Duration? = nil
  ) async throws -> AMQPMethod.Queue.DeclareOk {
    let declare = AMQPMethod.Queue.Declare(
      queue: name, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments)
    let ok = try await declareQueue(declare, timeout: timeout)
    connection.record { $0.queueDeclared(declare, name: ok.queue) }
    return ok
  }

  /// Checks that a queue exists and returns its message and consumer counts; a missing one
  /// closes the channel with 404.
  public func queueDeclarePassive(_ name: String, timeout: Duration? = nil) async throws -> AMQPMethod.Queue.DeclareOk {
    try await declareQueue(AMQPMethod.Queue.Declare(queue: name, passive: true), timeout: timeout)
  }

  /// Binds a queue to an exchange.
  public func queueBind(
    _ queue: String, exchange: String, routingKey: String = "", arguments: AMQPTable = [:],
    timeout: Duration? = nil
  ) async throws {
    let bind = AMQPMethod.Queue.Bind(queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)
    _ = try await request(.queueBind(bind), timeout: timeout)
    connection.record { $0.queueBound(bind) }
  }

  /// Removes a binding.
  public func queueUnbind(
    _ queue: String, exchange: String, routingKey: String = "", arguments: AMQPTable = [:],
    timeout: Duration? = nil
  ) async throws {
    let unbind = AMQPMethod.Queue.Unbind(
      queue: queue, exchange: exchange, routingKey: routingKey, arguments: arguments)
    _ = try await request(.queueUnbind(unbind), timeout: timeout)
    connection.record { $0.queueUnbound(unbind) }
  }

  /// Removes every ready message from a queue; returns how many.
  @discardableResult
  public func queuePurge(_ queue: String, timeout: Duration? = nil) async throws -> UInt32 {
    guard case .method(.queuePurgeOk(let ok)) = try await request(.queuePurge(.init(queue: queue)), timeout: timeout)
    else { throw AMQPError(.protocolViolation, detail: "queue.purge answered with something else") }
    return ok.messageCount
  }

  /// Deletes a queue; returns how many messages it held. Its consumers are cancelled by the
  /// broker.
  @discardableResult
  public func queueDelete(_ queue: String, ifUnused: Bool = false, ifEmpty: Bool = false, timeout: Duration? = nil)
    async throws -> UInt32
  {
    let delete = AMQPMethod.Queue.Delete(queue: queue, ifUnused: ifUnused, ifEmpty: ifEmpty)
    guard case .method(.queueDeleteOk(let ok)) = try await request(.queueDelete(delete), timeout: timeout) else {
      throw AMQPError(.protocolViolation, detail: "queue.delete answered with something else")
    }
    connection.record { $0.queueDeleted(queue) }
    return ok.messageCount
  }

  private func declareQueue(_ declare: AMQPMethod.Queue.Declare, timeout: Duration?) async throws
    -> AMQPMethod.Queue.DeclareOk
  {
    guard case .method(.queueDeclareOk(let ok)) = try await request(.queueDeclare(declare), timeout: timeout) else {
      throw AMQPError(.protocolViolation, detail: "queue.declare answered with something else")
    }
    return ok
  }

  // MARK: Modes

  /// Limits the deliveries a consumer (or with `global`, the channel) holds unacknowledged.
  public func qos(prefetchCount: UInt16, global: Bool = false, timeout: Duration? = nil) async throws {
    let qos = AMQPMethod.Basic.Qos(prefetchCount: prefetchCount, global: global)
    _ = try await request(.basicQos(qos), timeout: timeout)
    state.withLock { $0.qos = qos }
  }

  /// Turns on publisher confirms: from now on ``publish(_:exchange:routingKey:mandatory:properties:timeout:)``
  /// returns once the broker has taken responsibility for the message.
  public func confirmSelect(timeout: Duration? = nil) async throws {
    _ = try await request(.confirmSelect(.init()), timeout: timeout)
    state.withLock { $0.confirmMode = true }
  }

  /// Makes the channel transactional: publishes and acknowledgements take effect at
  /// ``txCommit(timeout:)``.
  public func txSelect(timeout: Duration? = nil) async throws {
    _ = try await request(.txSelect, timeout: timeout)
    state.withLock { $0.transactional = true }
  }

  /// Commits the current transaction.
  public func txCommit(timeout: Duration? = nil) async throws {
    _ = try await request(.txCommit, timeout: timeout)
  }

  /// Abandons the current transaction.
  public func txRollback(timeout: Duration? = nil) async throws {
    _ = try await request(.txRollback, timeout: timeout)
  }

  /// Asks the broker to deliver again every unacknowledged message of the channel.
  public func recover(requeue: Bool = true, timeout: Duration? = nil) async throws {
    _ = try await request(.basicRecover(.init(requeue: requeue)), timeout: timeout)
  }

  // MARK: Closing

  /// Closes the channel; its consumers end normally. Closing a channel that is already
  /// closed (by the broker, or before) does nothing: its number may belong to another
  /// channel by now.
  public func close(timeout: Duration? = nil) async throws {
    guard let consumers = markRecordClosed(AMQPError(.closed, detail: "the channel was closed")) else { return }
    defer {
      for consumer in consumers { consumer.buffer.finish(nil) }
      connection.channelRemoved(self)
    }
    guard let transport = connection.currentTransport else { return }
    try await transport.closeChannel(number, until: connection.deadline(timeout))
  }

  /// The broker closed the channel, or the connection ended for good.
  func markClosed(_ error: AMQPError) {
    for consumer in markRecordClosed(error) ?? [] { consumer.buffer.finish(error.code == .closed ? nil : error) }
  }

  /// Records why the channel closed, the first time only, and hands over its consumers to end;
  /// `nil` when it was closed already.
  private func markRecordClosed(_ error: AMQPError) -> [Consumer]? {
    state.withLock { record in
      guard record.closed == nil else { return nil }
      record.closed = error
      defer { record.consumers.removeAll() }
      return Array(record.consumers.values)
    }
  }

  // MARK: Internals

  func request(_ method: AMQPMethod, consumer: AMQPDeliveryBuffer? = nil, timeout: Duration?) async throws
    -> AMQPReply
  {
    let (transport, deadline) = try await transport(publishing: false, timeout: timeout)
    return try await transport.request(number, method, consumer: consumer, until: deadline)
  }

  /// The connection to send on and the operation's deadline, once the channel is known to be
  /// open; waits while the connection recovers (or, for publishing, while it is blocked).
  func transport(publishing: Bool, timeout: Duration?) async throws -> (AMQPTransport, NIODeadline) {
    let deadline = connection.deadline(timeout)
    try checkOpen()
    return (try await connection.transport(publishing: publishing, until: deadline), deadline)
  }

  func checkOpen() throws(AMQPError) {
    if let error = state.withLock({ $0.closed }) { throw error }
  }

  var record: Record { state.withLock { $0 } }

  func withRecord<Result>(_ body: (inout Record) -> Result) -> Result {
    state.withLock { body(&$0) }
  }

  /// Opens the channel on a new connection and sets it up as it was.
  func restore(on transport: AMQPTransport, until deadline: NIODeadline) async throws {
    let record = self.record
    guard record.closed == nil else { return }
    try await transport.openChannel(number, until: deadline)
    if let qos = record.qos { _ = try await transport.request(number, .basicQos(qos), until: deadline) }
    if record.confirmMode { _ = try await transport.request(number, .confirmSelect(.init()), until: deadline) }
    if record.transactional { _ = try await transport.request(number, .txSelect, until: deadline) }
    for consumer in record.consumers.values.sorted(by: { $0.consume.consumerTag < $1.consume.consumerTag })
    where !consumer.buffer.isFinished {
      _ = try await transport.request(
        number, .basicConsume(consumer.consume), consumer: consumer.buffer, until: deadline)
    }
  }
}
