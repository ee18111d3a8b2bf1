import Foundation
import ShopContracts

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
  /// The version of the data's schema, which consumers check.
  public var schemaVersion: Int
  public var data: Payload

  public init(
    id: UUID = UUID(), type: String, schemaVersion: Int = 1, aggregateID: UUID, aggregateVersion: Int64,
    correlationID: String? = nil, occurredAt: Date = Date(), data: Payload
  ) {
    self.id = id
    self.type = type
    self.schemaVersion = schemaVersion
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
        correlationID: correlationID ?? id.lowercased, schemaVersion: schemaVersion, data: data))
  }
}

extension OutboxEvent where Payload: EventContract {
  /// The event of a contract: its type and schema version are the contract's.
  public init(
    _ data: Payload, aggregateID: UUID, aggregateVersion: Int64, id: UUID = UUID(), correlationID: String? = nil,
    occurredAt: Date = Date()
  ) {
    self.init(
      id: id, type: Payload.type, schemaVersion: Payload.schemaVersion, aggregateID: aggregateID,
      aggregateVersion: aggregateVersion, correlationID: correlationID, occurredAt: occurredAt, data: data)
  }
}
