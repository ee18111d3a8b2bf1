/// The envelope of DESIGN.md §4 as it is written in JSON: `{"id", "type", "source",
/// "occurred_at", "aggregate_id", "aggregate_version", "correlation_id", "data"}`, with the
/// `schema_version` of the data (1 when absent: events recorded before it was written).
struct WireEnvelope<Payload: Sendable>: Sendable {
  let id: String
  let type: String
  let source: String
  let occurredAt: String
  let aggregateID: String
  let aggregateVersion: Int64
  let correlationID: String
  let schemaVersion: Int?
  let data: Payload

  enum CodingKeys: String, CodingKey {
    case id, type, source, data
    case occurredAt = "occurred_at"
    case aggregateID = "aggregate_id"
    case aggregateVersion = "aggregate_version"
    case correlationID = "correlation_id"
    case schemaVersion = "schema_version"
  }
}

extension WireEnvelope: Encodable where Payload: Encodable {}
extension WireEnvelope: Decodable where Payload: Decodable {}

/// Reads past a value without decoding it: the data of an envelope whose consumer decodes it
/// later, into its own type.
struct Skipped: Decodable, Sendable {
  init(from decoder: any Decoder) throws {}
}
