import Foundation
import Logging
import PostgresNIO
import ShopRPC

/// Records an event in the service's `outbox` table inside the caller's transaction, in the
/// envelope of DESIGN.md §4, so that it commits or rolls back with the change it describes.
enum OutboxWriter {
  indirect enum Value: Sendable {
    case string(String)
    case int(Int64)
    case array([Value])

    var json: Any {
      switch self {
      case .string(let s): s
      case .int(let i): i
      case .array(let items): items.map(\.json)
      }
    }
  }

  static let source = "product-service"

  static func record(
    _ tx: PostgresConnection, type: String, aggregateID: UUID, version: Int64, data: [String: Value], logger: Logger
  ) async throws {
    let id = UUID()
    let occurredAt = Date()
    let envelope: [String: Any] = [
      "id": id.uuidString.lowercased(),
      "type": type,
      "source": source,
      "occurred_at": occurredAt.rfc3339,
      "aggregate_id": aggregateID.uuidString.lowercased(),
      "aggregate_version": version,
      "correlation_id": id.uuidString.lowercased(),
      "data": data.mapValues(\.json),
    ]
    let payload = String(
      decoding: try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]), as: UTF8.self)
    try await tx.query(
      """
      INSERT INTO outbox (id, type, aggregate_id, aggregate_version, payload, occurred_at)
      VALUES (\(id), \(type), \(aggregateID), \(version), \(payload)::jsonb, \(occurredAt))
      """,
      logger: logger)
  }
}
