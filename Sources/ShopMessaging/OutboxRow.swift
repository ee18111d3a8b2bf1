import AMQPClient
import AMQPProtocol
import Foundation
import NIOCore
import ShopContracts

/// One recorded event as the relay and replay read it.
struct OutboxRow: Sendable {
  let id: UUID
  let type: String
  let payload: String
  let traceparent: String?
  let occurredAt: Date

  static let columns = "id, type, payload::text, traceparent, occurred_at"
  typealias Columns = (UUID, String, String, String?, Date)

  init(_ columns: Columns) {
    (id, type, payload, traceparent, occurredAt) = columns
  }

  /// The message: persistent JSON, `message_id` the event's id, `type` its routing key, and
  /// the recording request's `traceparent`. Sent to `shop.events` with the type as routing
  /// key, or straight to `queue` through the default exchange.
  func message(toQueue queue: String? = nil) -> AMQPOutgoingMessage {
    var headers = AMQPTable()
    if let traceparent { headers["traceparent"] = .string(traceparent) }
    let properties = AMQPBasicProperties(
      contentType: "application/json", headers: headers, deliveryMode: 2, messageID: id.lowercased,
      timestamp: UInt64(max(0, occurredAt.timeIntervalSince1970)), type: type)
    return AMQPOutgoingMessage(
      ByteBuffer(string: payload), exchange: queue == nil ? EventTopology.exchange : "",
      routingKey: queue ?? type, mandatory: true, properties: properties)
  }
}
