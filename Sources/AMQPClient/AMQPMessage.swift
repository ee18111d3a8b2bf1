import AMQPProtocol
import NIOCore

/// A message as the broker handed it over: its body and properties, and where it was
/// published to.
public struct AMQPMessage: Sendable {
  /// The body, as published.
  public var body: ByteBuffer
  /// The properties, headers included.
  public var properties: AMQPBasicProperties
  /// The exchange the message was published to; empty for the default exchange.
  public var exchange: String
  /// The routing key the message was published with.
  public var routingKey: String

  /// Creates a message.
  public init(body: ByteBuffer, properties: AMQPBasicProperties, exchange: String, routingKey: String) {
    self.body = body
    self.properties = properties
    self.exchange = exchange
    self.routingKey = routingKey
  }
}
