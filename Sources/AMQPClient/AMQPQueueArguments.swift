import AMQPProtocol

/// The `x-` arguments of `queue.declare` that RabbitMQ understands most often, as a builder
/// for the table ``AMQPChannel/queueDeclare(_:durable:exclusive:autoDelete:arguments:timeout:)``
/// takes.
public struct AMQPQueueArguments: Sendable {
  /// The kinds of queue RabbitMQ offers.
  public enum QueueType: String, Sendable {
    /// A single-node queue.
    case classic
    /// A replicated queue with a delivery limit, suited to messages that must not be lost.
    case quorum
    /// An append-only log.
    case stream
  }

  /// The queue type (`x-queue-type`).
  public var type: QueueType?
  /// Where rejected or expired messages go (`x-dead-letter-exchange`).
  public var deadLetterExchange: String?
  /// The routing key they get there (`x-dead-letter-routing-key`).
  public var deadLetterRoutingKey: String?
  /// How long a message may wait in the queue (`x-message-ttl`).
  public var messageTTL: Duration?
  /// After how many redeliveries a quorum queue drops or dead-letters a message
  /// (`x-delivery-limit`).
  public var deliveryLimit: Int?
  /// The most messages the queue holds (`x-max-length`).
  public var maxLength: Int?
  /// How long the queue may go unused before it is deleted (`x-expires`).
  public var expires: Duration?

  /// Creates arguments; unset ones are left out of the table.
  public init(
    type: QueueType? = nil, deadLetterExchange: String? = nil, deadLetterRoutingKey: String? = nil,
    messageTTL: Duration? = nil, deliveryLimit: Int? = nil, maxLength: Int? = nil, expires: Duration? = nil
  ) {
    self.type = type
    self.deadLetterExchange = deadLetterExchange
    self.deadLetterRoutingKey = deadLetterRoutingKey
    self.messageTTL = messageTTL
    self.deliveryLimit = deliveryLimit
    self.maxLength = maxLength
    self.expires = expires
  }

  /// The field table to declare the queue with.
  public var table: AMQPTable {
    var table = AMQPTable()
    if let type { table.append(key: "x-queue-type", value: .string(type.rawValue)) }
    if let deadLetterExchange { table.append(key: "x-dead-letter-exchange", value: .string(deadLetterExchange)) }
    if let deadLetterRoutingKey {
      table.append(key: "x-dead-letter-routing-key", value: .string(deadLetterRoutingKey))
    }
    if let messageTTL { table.append(key: "x-message-ttl", value: .int64(messageTTL.milliseconds)) }
    if let deliveryLimit { table.append(key: "x-delivery-limit", value: .int64(Int64(deliveryLimit))) }
    if let maxLength { table.append(key: "x-max-length", value: .int64(Int64(maxLength))) }
    if let expires { table.append(key: "x-expires", value: .int64(expires.milliseconds)) }
    return table
  }
}
