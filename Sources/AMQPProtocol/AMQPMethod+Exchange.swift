import NIOCore

extension AMQPMethod {
  /// Arguments of the `exchange` class (class id 40), whose methods create, remove and bind
  /// exchanges.
  public enum Exchange {
    /// `exchange.declare`: creates an exchange, or checks that one exists with the same
    /// settings.
    public struct Declare: Sendable, Equatable {
      /// The exchange's name.
      public var exchange: String
      /// The exchange type, such as `direct`, `fanout`, `topic` or `headers`.
      public var type: String
      /// Only check that the exchange exists; the server closes the channel with 404 if not.
      public var passive: Bool
      /// Whether the exchange survives a broker restart.
      public var durable: Bool
      /// Whether the exchange is deleted once its last binding is removed.
      public var autoDelete: Bool
      /// Whether only other exchanges, not publishers, may send to it.
      public var `internal`: Bool
      /// Ask the server not to answer with `exchange.declare-ok`.
      public var noWait: Bool
      /// Extra settings, such as `alternate-exchange`.
      public var arguments: AMQPTable

      /// Creates the arguments.
      public init(
        exchange: String, type: String, passive: Bool = false, durable: Bool = false, autoDelete: Bool = false,
        internal: Bool = false, noWait: Bool = false, arguments: AMQPTable = [:]
      ) {
        self.exchange = exchange
        self.type = type
        self.passive = passive
        self.durable = durable
        self.autoDelete = autoDelete
        self.internal = `internal`
        self.noWait = noWait
        self.arguments = arguments
      }
    }

    /// `exchange.delete`: removes an exchange.
    public struct Delete: Sendable, Equatable {
      /// The exchange's name.
      public var exchange: String
      /// Only delete the exchange if it has no bindings; otherwise the server closes the channel.
      public var ifUnused: Bool
      /// Ask the server not to answer with `exchange.delete-ok`.
      public var noWait: Bool

      /// Creates the arguments.
      public init(exchange: String, ifUnused: Bool = false, noWait: Bool = false) {
        self.exchange = exchange
        self.ifUnused = ifUnused
        self.noWait = noWait
      }
    }

    /// The arguments of both `exchange.bind` and `exchange.unbind`, RabbitMQ extensions that
    /// route messages from one exchange to another.
    public struct Binding: Sendable, Equatable {
      /// The exchange that receives the routed messages.
      public var destination: String
      /// The exchange the messages are published to.
      public var source: String
      /// The routing key the binding matches.
      public var routingKey: String
      /// Ask the server not to answer with `exchange.bind-ok` or `exchange.unbind-ok`.
      public var noWait: Bool
      /// Extra matching settings, such as those of a `headers` exchange.
      public var arguments: AMQPTable

      /// Creates the arguments.
      public init(
        destination: String, source: String, routingKey: String = "", noWait: Bool = false,
        arguments: AMQPTable = [:]
      ) {
        self.destination = destination
        self.source = source
        self.routingKey = routingKey
        self.noWait = noWait
        self.arguments = arguments
      }
    }
  }

  /// Reads the arguments of the `exchange` method numbered `methodID`.
  static func decodeExchange(methodID: UInt16, from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPMethod {
    switch methodID {
    case 10: return .exchangeDeclare(try Exchange.Declare(from: &buffer))
    case 11: return .exchangeDeclareOk
    case 20: return .exchangeDelete(try Exchange.Delete(from: &buffer))
    case 21: return .exchangeDeleteOk
    case 30: return .exchangeBind(try Exchange.Binding(from: &buffer))
    case 31: return .exchangeBindOk
    case 40: return .exchangeUnbind(try Exchange.Binding(from: &buffer))
    case 51: return .exchangeUnbindOk
    default: throw AMQPProtocolError(.unknownMethod, "exchange method \(methodID)")
    }
  }
}

// Each request starts with a reserved access ticket, always 0 in 0-9-1, which is written as such
// and skipped when read.

extension AMQPMethod.Exchange.Declare {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    exchange = try buffer.readAMQPShortString()
    type = try buffer.readAMQPShortString()
    let bits = try buffer.readAMQPBits()
    passive = bits[0]
    durable = bits[1]
    autoDelete = bits[2]
    `internal` = bits[3]
    noWait = bits[4]
    arguments = try AMQPTable.decode(from: &buffer)
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(exchange)
    try buffer.writeAMQPShortString(type)
    buffer.writeInteger(AMQPBits(passive, durable, autoDelete, `internal`, noWait).octet)
    try arguments.encode(into: &buffer)
  }
}

extension AMQPMethod.Exchange.Delete {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    exchange = try buffer.readAMQPShortString()
    let bits = try buffer.readAMQPBits()
    ifUnused = bits[0]
    noWait = bits[1]
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(exchange)
    buffer.writeInteger(AMQPBits(ifUnused, noWait).octet)
  }
}

extension AMQPMethod.Exchange.Binding {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    destination = try buffer.readAMQPShortString()
    source = try buffer.readAMQPShortString()
    routingKey = try buffer.readAMQPShortString()
    noWait = try buffer.readAMQPBits()[0]
    arguments = try AMQPTable.decode(from: &buffer)
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(destination)
    try buffer.writeAMQPShortString(source)
    try buffer.writeAMQPShortString(routingKey)
    buffer.writeInteger(AMQPBits(noWait).octet)
    try arguments.encode(into: &buffer)
  }
}
