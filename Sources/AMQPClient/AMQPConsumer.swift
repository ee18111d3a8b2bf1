/// The deliveries of one consumer, in the order the broker sent them.
///
/// Iterate with `for try await delivery in consumer`. The sequence ends normally when the
/// consumer is cancelled by this client (``AMQPChannel/cancel(_:)`` or graceful shutdown), and
/// with an ``AMQPError`` when the broker cancels it (``AMQPError/Code/consumerCancelled``, for
/// example because its queue was deleted) or closes its channel. A lost connection does not end
/// it: after recovery the consumer resumes on the new connection.
///
/// Leaving the loop early cancels the consumer on the broker and hands back the deliveries that
/// arrived but were not taken. Iterate a consumer once.
public struct AMQPConsumer: AsyncSequence, Sendable {
  public typealias Element = AMQPDelivery

  /// The consumer tag, unique on its channel.
  public var consumerTag: String { buffer.consumerTag }
  let buffer: AMQPDeliveryBuffer

  public func makeAsyncIterator() -> Iterator {
    Iterator(token: IterationToken(buffer))
  }

  /// Waits for the next delivery.
  public struct Iterator: AsyncIteratorProtocol {
    let token: IterationToken

    /// The next delivery, or `nil` once the consumer has ended normally.
    public mutating func next() async throws -> AMQPDelivery? {
      try await token.buffer.next()
    }
  }

  /// Cancels the consumer when the last copy of its iterator goes away.
  final class IterationToken: Sendable {
    let buffer: AMQPDeliveryBuffer

    init(_ buffer: AMQPDeliveryBuffer) {
      self.buffer = buffer
    }

    deinit {
      let (waiting, wasRunning) = buffer.abandon()
      buffer.channel.consumerAbandoned(buffer.consumerTag, requeue: waiting, cancel: wasRunning)
    }
  }
}
