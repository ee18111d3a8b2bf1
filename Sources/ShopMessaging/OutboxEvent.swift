import Foundation
import ShopRPC

/// An event to record in the outbox: what happened to which aggregate, at which version, with
/// its data. ``Outbox`` wraps it in the envelope of DESIGN.md §4.
public struct OutboxEvent<Payload: Encodable & Sendable>: Sendable {
  public var id: UUID
  /// The routing key: `user.registered`, `inventory.low_stock`, …
  public var type: String
  public var aggregateID: UUID
  /// Increases with every change of the aggregate; consumers keep the newest.
  public var aggregateVersion: Int64
  /// The id of the request or event that caused this one; the event's own id when it starts
  /// a chain.
  public var correlationID: String?
  public var occurredAt: Date
  public var data: Payload

  public init(
    id: UUID = UUID(), type: String, aggregateID: UUID, aggregateVersion: Int64, correlationID: String? = nil,
    occurredAt: Date = Date(), data: Payload
  ) {
    self.id = id
    self.type = type
    self.aggregateID = aggregateID
    self.aggregateVersion = aggregateVersion
    self.correlationID = correlationID
    self.occurredAt = occurredAt
    self.data = data
  }

  /// The JSON envelope: `{"id", "type", "source", "occurred_at", "aggregate_id",
  /// "aggregate_version", "correlation_id", "data"}`.
  public func envelope(source: String) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(
      WireEnvelope(
        id: id.lowercased, type: type, source: source, occurredAt: occurredAt.rfc3339,
        aggregateID: aggregateID.lowercased, aggregateVersion: aggregateVersion,
        correlationID: correlationID ?? id.lowercased, data: data))
  }
}

extension UUID {
  /// The lower-case form used on the wire.
  var lowercased: String { uuidString.lowercased() }
}
