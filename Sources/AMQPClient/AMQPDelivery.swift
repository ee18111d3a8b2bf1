import AMQPProtocol
import NIOCore

/// A message handed to a consumer or fetched with `basic.get`, to be acknowledged.
///
/// Unless the consumer was started with `noAck`, the broker keeps the message until it is
/// acknowledged with ``ack(multiple:)``, or hands it back with ``nack(multiple:requeue:)`` or
/// ``reject(requeue:)``. A delivery that arrived on a connection which has since been lost
/// cannot be acknowledged: the broker has already put it back, and redelivers it with
/// ``redelivered`` set.
public struct AMQPDelivery: Sendable {
  /// The message.
  public var message: AMQPMessage
  /// The channel's number for this delivery, used to acknowledge it.
  public var deliveryTag: UInt64
  /// Whether the broker delivered this message before, to this or another consumer.
  public var redelivered: Bool
  /// The consumer it was delivered to; empty for `basic.get`.
  public var consumerTag: String
  let channel: AMQPChannel
  let epoch: UInt64

  init(
    message: AMQPMessage, deliveryTag: UInt64, redelivered: Bool, consumerTag: String, channel: AMQPChannel,
    epoch: UInt64
  ) {
    self.message = message
    self.deliveryTag = deliveryTag
    self.redelivered = redelivered
    self.consumerTag = consumerTag
    self.channel = channel
    self.epoch = epoch
  }

  /// The body.
  public var body: ByteBuffer { message.body }
  /// The properties, headers included.
  public var properties: AMQPBasicProperties { message.properties }

  /// Acknowledges this delivery, and with `multiple` every earlier one on the channel.
  public func ack(multiple: Bool = false) throws(AMQPError) {
    try channel.acknowledge(.basicAck(.init(deliveryTag: deliveryTag, multiple: multiple)), epoch: epoch)
  }

  /// Refuses this delivery, and with `multiple` every earlier unacknowledged one on the
  /// channel; with `requeue` the broker delivers them again, otherwise it drops or
  /// dead-letters them.
  public func nack(multiple: Bool = false, requeue: Bool = true) throws(AMQPError) {
    let nack = AMQPMethod.Basic.Nack(deliveryTag: deliveryTag, multiple: multiple, requeue: requeue)
    try channel.acknowledge(.basicNack(nack), epoch: epoch)
  }

  /// Refuses this one delivery; with `requeue` the broker delivers it again, otherwise it
  /// drops or dead-letters it.
  public func reject(requeue: Bool = true) throws(AMQPError) {
    try channel.acknowledge(.basicReject(.init(deliveryTag: deliveryTag, requeue: requeue)), epoch: epoch)
  }
}
