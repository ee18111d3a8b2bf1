import NIOCore

extension AMQPMethod {
  /// Arguments of the `queue` class (class id 50), whose methods create, bind, empty and remove
  /// queues.
  public enum Queue {
    /// `queue.declare`: creates a queue, or checks that one exists with the same settings.
    public struct Declare: Sendable, Equatable {
      /// The queue's name; empty asks the server to generate one, returned in
      /// `queue.declare-ok`.
      public var queue: String
      /// Only check that the queue exists; the server closes the channel with 404 if not.
      public var passive: Bool
      /// Whether the queue survives a broker restart.
      public var durable: Bool
      /// Whether only this connection may use the queue, which is deleted when it closes.
      public var exclusive: Bool
      /// Whether the queue is deleted once its last consumer is cancelled.
      public var autoDelete: Bool
      /// Ask the server not to answer with `queue.declare-ok`.
      public var noWait: Bool
      /// Extra settings, such as `x-queue-type`, `x-message-ttl` or `x-dead-letter-exchange`.
      public var arguments: AMQPTable

      /// Creates the arguments.
      public init(
        queue: String = "", passive: Bool = false, durable: Bool = false, exclusive: Bool = false,
        autoDelete: Bool = false, noWait: Bool = false, arguments: AMQPTable = [:]
      ) {
        self.queue = queue
        self.passive = passive
        self.durable = durable
        self.exclusive = exclusive
        self.autoDelete = autoDelete
        self.noWait = noWait
        self.arguments = arguments
      }
    }

    /// `queue.declare-ok`: the declared queue's name and current counts.
    public struct DeclareOk: Sendable, Equatable {
      /// The queue's name, which the server chose if the declaration left it empty.
      public var queue: String
      /// How many messages are ready for delivery.
      public var messageCount: UInt32
      /// How many consumers the queue has.
      public var consumerCount: UInt32

      /// Creates the arguments.
      public init(queue: String, messageCount: UInt32 = 0, consumerCount: UInt32 = 0) {
        self.queue = queue
        self.messageCount = messageCount
        self.consumerCount = consumerCount
      }
    }

    /// `queue.bind`: routes messages matching a routing key from an exchange to a queue.
    public struct Bind: Sendable, Equatable {
      /// The queue's name.
      public var queue: String
      /// The exchange's name.
      public var exchange: String
      /// The routing key the binding matches.
      public var routingKey: String
      /// Ask the server not to answer with `queue.bind-ok`.
      public var noWait: Bool
      /// Extra matching settings, such as those of a `headers` exchange.
      public var arguments: AMQPTable

      /// Creates the arguments.
      public init(
        queue: String, exchange: String, routingKey: String = "", noWait: Bool = false, arguments: AMQPTable = [:]
      ) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
        self.noWait = noWait
        self.arguments = arguments
      }
    }

    /// `queue.unbind`: removes a binding made by `queue.bind`.
    ///
    /// Unlike the other methods here it has no no-wait flag, so the server always answers with
    /// `queue.unbind-ok`.
    public struct Unbind: Sendable, Equatable {
      /// The queue's name.
      public var queue: String
      /// The exchange's name.
      public var exchange: String
      /// The routing key of the binding.
      public var routingKey: String
      /// The arguments of the binding, which must match those it was made with.
      public var arguments: AMQPTable

      /// Creates the arguments.
      public init(queue: String, exchange: String, routingKey: String = "", arguments: AMQPTable = [:]) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
        self.arguments = arguments
      }
    }

    /// `queue.purge`: removes every message that is not awaiting acknowledgement.
    public struct Purge: Sendable, Equatable {
      /// The queue's name.
      public var queue: String
      /// Ask the server not to answer with `queue.purge-ok`.
      public var noWait: Bool

      /// Creates the arguments.
      public init(queue: String, noWait: Bool = false) {
        self.queue = queue
        self.noWait = noWait
      }
    }

    /// `queue.purge-ok`: how many messages a purge removed.
    public struct PurgeOk: Sendable, Equatable {
      /// How many messages were removed.
      public var messageCount: UInt32

      /// Creates the arguments.
      public init(messageCount: UInt32) {
        self.messageCount = messageCount
      }
    }

    /// `queue.delete`: removes a queue and the messages in it.
    public struct Delete: Sendable, Equatable {
      /// The queue's name.
      public var queue: String
      /// Only delete the queue if it has no consumers; otherwise the server closes the channel.
      public var ifUnused: Bool
      /// Only delete the queue if it holds no messages; otherwise the server closes the channel.
      public var ifEmpty: Bool
      /// Ask the server not to answer with `queue.delete-ok`.
      public var noWait: Bool

      /// Creates the arguments.
      public init(queue: String, ifUnused: Bool = false, ifEmpty: Bool = false, noWait: Bool = false) {
        self.queue = queue
        self.ifUnused = ifUnused
        self.ifEmpty = ifEmpty
        self.noWait = noWait
      }
    }

    /// `queue.delete-ok`: how many messages were deleted with the queue.
    public struct DeleteOk: Sendable, Equatable {
      /// How many messages were deleted.
      public var messageCount: UInt32

      /// Creates the arguments.
      public init(messageCount: UInt32) {
        self.messageCount = messageCount
      }
    }
  }

  /// Reads the arguments of the `queue` method numbered `methodID`.
  static func decodeQueue(methodID: UInt16, from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPMethod {
    switch methodID {
    case 10: return .queueDeclare(try Queue.Declare(from: &buffer))
    case 11: return .queueDeclareOk(try Queue.DeclareOk(from: &buffer))
    case 20: return .queueBind(try Queue.Bind(from: &buffer))
    case 21: return .queueBindOk
    case 30: return .queuePurge(try Queue.Purge(from: &buffer))
    case 31: return .queuePurgeOk(try Queue.PurgeOk(from: &buffer))
    case 40: return .queueDelete(try Queue.Delete(from: &buffer))
    case 41: return .queueDeleteOk(try Queue.DeleteOk(from: &buffer))
    case 50: return .queueUnbind(try Queue.Unbind(from: &buffer))
    case 51: return .queueUnbindOk
    default: throw AMQPProtocolError(.unknownMethod, "queue method \(methodID)")
    }
  }
}

// Each request starts with a reserved access ticket, always 0 in 0-9-1, which is written as such
// and skipped when read.

extension AMQPMethod.Queue.Declare {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    queue = try buffer.readAMQPShortString()
    let bits = try buffer.readAMQPBits()
    passive = bits[0]
    durable = bits[1]
    exclusive = bits[2]
    autoDelete = bits[3]
    noWait = bits[4]
    arguments = try AMQPTable.decode(from: &buffer)
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(queue)
    buffer.writeInteger(AMQPBits(passive, durable, exclusive, autoDelete, noWait).octet)
    try arguments.encode(into: &buffer)
  }
}

extension AMQPMethod.Queue.DeclareOk {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    queue = try buffer.readAMQPShortString()
    messageCount = try buffer.readAMQPInteger()
    consumerCount = try buffer.readAMQPInteger()
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    try buffer.writeAMQPShortString(queue)
    buffer.writeInteger(messageCount)
    buffer.writeInteger(consumerCount)
  }
}

extension AMQPMethod.Queue.Bind {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    queue = try buffer.readAMQPShortString()
    exchange = try buffer.readAMQPShortString()
    routingKey = try buffer.readAMQPShortString()
    noWait = try buffer.readAMQPBits()[0]
    arguments = try AMQPTable.decode(from: &buffer)
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(queue)
    try buffer.writeAMQPShortString(exchange)
    try buffer.writeAMQPShortString(routingKey)
    buffer.writeInteger(AMQPBits(noWait).octet)
    try arguments.encode(into: &buffer)
  }
}

extension AMQPMethod.Queue.Unbind {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    queue = try buffer.readAMQPShortString()
    exchange = try buffer.readAMQPShortString()
    routingKey = try buffer.readAMQPShortString()
    arguments = try AMQPTable.decode(from: &buffer)
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(queue)
    try buffer.writeAMQPShortString(exchange)
    try buffer.writeAMQPShortString(routingKey)
    try arguments.encode(into: &buffer)
  }
}

extension AMQPMethod.Queue.Purge {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    queue = try buffer.readAMQPShortString()
    noWait = try buffer.readAMQPBits()[0]
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(queue)
    buffer.writeInteger(AMQPBits(noWait).octet)
  }
}

extension AMQPMethod.Queue.PurgeOk {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    messageCount = try buffer.readAMQPInteger()
  }

  func encode(into buffer: inout ByteBuffer) {
    buffer.writeInteger(messageCount)
  }
}

extension AMQPMethod.Queue.Delete {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    _ = try buffer.readAMQPInteger(as: UInt16.self)
    queue = try buffer.readAMQPShortString()
    let bits = try buffer.readAMQPBits()
    ifUnused = bits[0]
    ifEmpty = bits[1]
    noWait = bits[2]
  }

  func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    buffer.writeInteger(UInt16(0))
    try buffer.writeAMQPShortString(queue)
    buffer.writeInteger(AMQPBits(ifUnused, ifEmpty, noWait).octet)
  }
}

extension AMQPMethod.Queue.DeleteOk {
  init(from buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    messageCount = try buffer.readAMQPInteger()
  }

  func encode(into buffer: inout ByteBuffer) {
    buffer.writeInteger(messageCount)
  }
}
