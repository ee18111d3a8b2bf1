import AMQPClient
import AMQPProtocol
import Foundation
import NIOCore

/// The operations of `shop dlq`: look at, send back or drop the events a consumer gave up on.
public struct DeadLetterQueue: Sendable {
  /// A dead-lettered event as `shop dlq list` shows it.
  public struct Entry: Sendable {
    public let messageID: String?
    public let type: String?
    public let retries: Int
    public let error: String?
    /// The broker's `x-death` history: each queue the event was dead-lettered from, why, and
    /// how often.
    public let deaths: [(queue: String, reason: String, count: Int64)]
    public let body: String
  }

  public let queue: String
  public let deadLetterQueue: String
  let amqp: AMQPConnection

  /// `queue` names the consumer's queue or its dead-letter queue.
  public init(queue: String, amqp: AMQPConnection) throws(MessagingError) {
    guard !queue.isEmpty else { throw MessagingError(.invalidArgument, "no queue given") }
    self.deadLetterQueue = EventTopology.deadLetterQueue(of: queue)
    self.queue = String(deadLetterQueue.dropLast(".dlq".count))
    self.amqp = amqp
  }

  /// Up to `limit` dead-lettered events, oldest first; they stay in the queue.
  public func list(limit: Int = 100) async throws -> [Entry] {
    let channel = try await amqp.openChannel()
    _ = try await channel.queueDeclarePassive(deadLetterQueue)
    var entries: [Entry] = []
    var last: AMQPDelivery?
    while entries.count < limit, let delivery = try await channel.get(queue: deadLetterQueue) {
      entries.append(Self.entry(delivery))
      last = delivery
    }
    // Everything taken goes back, in order.
    try last?.nack(multiple: true, requeue: true)
    try await channel.close()
    return entries
  }

  /// Sends up to `limit` dead-lettered events back to the consumer's queue with their retries
  /// reset, each removed from the dead-letter queue only once the broker confirmed its copy.
  /// Only the events there when it starts are moved, so events that fail again and come
  /// back meanwhile wait for the next retry. Returns how many.
  public func retry(limit: Int = .max) async throws -> Int {
    let channel = try await amqp.openChannel()
    try await channel.confirmSelect()
    let waiting = Int(try await channel.queueDeclarePassive(deadLetterQueue).messageCount)
    _ = try await channel.queueDeclarePassive(queue)
    var moved = 0
    while moved < min(limit, waiting), let delivery = try await channel.get(queue: deadLetterQueue) {
      var properties = delivery.properties
      properties.headers = AMQPTable(
        entries: (properties.headers ?? [:]).filter { $0.key != EventConsumer.retriesHeader })
      try await channel.publish(delivery.body, routingKey: queue, mandatory: true, properties: properties)
      try delivery.ack()
      moved += 1
    }
    try await channel.close()
    return moved
  }

  /// Drops every dead-lettered event; returns how many.
  public func purge() async throws -> Int {
    let channel = try await amqp.openChannel()
    let count = try await channel.queuePurge(deadLetterQueue)
    try await channel.close()
    return Int(count)
  }

  static func entry(_ delivery: AMQPDelivery) -> Entry {
    let headers = delivery.properties.headers ?? [:]
    var deaths: [(queue: String, reason: String, count: Int64)] = []
    if case .array(let items) = headers["x-death"] {
      for case .table(let death) in items {
        deaths.append(
          (
            death["queue"]?.stringValue ?? "?", death["reason"]?.stringValue ?? "?",
            death["count"]?.integerValue ?? 0
          ))
      }
    }
    return Entry(
      messageID: delivery.properties.messageID, type: delivery.properties.type,
      retries: Int(headers[EventConsumer.retriesHeader]?.integerValue ?? 0),
      error: headers[EventConsumer.errorHeader]?.stringValue, deaths: deaths, body: String(buffer: delivery.body))
  }
}
