import Foundation
import Instrumentation
import PostgresNIO
import ServiceContextModule

/// Events written by the very statement that makes the change they announce: interpolated into
/// a `PostgresQuery` after the change's `WITH` parts, they become its final
/// `INSERT INTO outbox …`. One statement is one round trip and its own transaction, where
/// ``Outbox/record(_:in:logger:instrument:)`` needs a transaction around several.
public struct OutboxInsert: Sendable {
  let source: String
  var ids: [UUID] = []
  var types: [String] = []
  var aggregateIDs: [UUID] = []
  var versions: [Int64] = []
  var payloads: [String] = []
  /// Empty for none: arrays of the driver hold no nulls.
  var traceparents: [String] = []
  var occurredAt: [Date] = []

  public init(_ outbox: Outbox) {
    source = outbox.source
  }

  /// Adds `event`, with the trace context of the current task (as ``Outbox`` records it).
  public mutating func append<Payload>(
    _ event: OutboxEvent<Payload>, instrument: any Instrument = InstrumentationSystem.instrument
  ) throws {
    ids.append(event.id)
    types.append(event.type)
    aggregateIDs.append(event.aggregateID)
    versions.append(event.aggregateVersion)
    payloads.append(String(decoding: try event.envelope(source: source), as: UTF8.self))
    traceparents.append(Outbox.traceparent(of: ServiceContext.current, using: instrument) ?? "")
    occurredAt.append(event.occurredAt)
  }
}

extension PostgresQuery.StringInterpolation {
  /// `INSERT INTO outbox … SELECT … FROM unnest(…)` of `events`.
  /// - Parameters:
  ///   - version: SQL for the aggregate version, when the statement itself computes it (from a
  ///     `RETURNING` of an earlier part); it replaces the events' own, in the row and in the
  ///     envelope.
  ///   - condition: SQL that must hold for the events to be written (that an earlier part
  ///     changed a row).
  public mutating func appendInterpolation(
    _ events: OutboxInsert, version: String? = nil, when condition: String? = nil
  ) {
    appendLiteral(
      "INSERT INTO outbox (id, type, aggregate_id, aggregate_version, payload, traceparent, occurred_at) SELECT e.id, e.type, e.aggregate_id, "
    )
    if let version {
      appendLiteral("\(version), jsonb_set(e.payload::jsonb, '{aggregate_version}', to_jsonb(\(version)))")
    } else {
      appendLiteral("e.aggregate_version, e.payload::jsonb")
    }
    appendLiteral(", nullif(e.traceparent, ''), e.occurred_at FROM unnest(")
    appendInterpolation(events.ids)
    appendLiteral("::uuid[], ")
    appendInterpolation(events.types)
    appendLiteral("::text[], ")
    appendInterpolation(events.aggregateIDs)
    appendLiteral("::uuid[], ")
    appendInterpolation(events.versions)
    appendLiteral("::int8[], ")
    appendInterpolation(events.payloads)
    appendLiteral("::text[], ")
    appendInterpolation(events.traceparents)
    appendLiteral("::text[], ")
    appendInterpolation(events.occurredAt)
    appendLiteral(
      "::timestamptz[]) AS e(id, type, aggregate_id, aggregate_version, payload, traceparent, occurred_at)")
    if let condition { appendLiteral(" WHERE \(condition)") }
  }
}
