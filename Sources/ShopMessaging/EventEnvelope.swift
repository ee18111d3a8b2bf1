import Foundation
import ShopContracts

/// An event as a consumer receives it: the envelope of DESIGN.md §4, with its data kept as
/// JSON until the handler decodes it into its own type.
public struct EventEnvelope: Sendable {
  public let id: UUID
  public let type: String
  public let source: String
  public let occurredAt: Date
  public let aggregateID: UUID
  public let aggregateVersion: Int64
  public let correlationID: String
  /// The version of the data's schema.
  public let schemaVersion: Int
  /// The whole message body.
  public let body: Data

  /// Decodes a message body; anything that is not a complete envelope is
  /// ``MessagingError/Code/malformedEvent``.
  public init(body: Data) throws(MessagingError) {
    let header: WireEnvelope<Skipped>
    do {
      header = try JSONDecoder().decode(WireEnvelope<Skipped>.self, from: body)
    } catch {
      throw MessagingError(.malformedEvent, "not an event envelope: \(error)")
    }
    guard let id = UUID(uuidString: header.id), let aggregateID = UUID(uuidString: header.aggregateID),
      let occurredAt = Date(rfc3339: header.occurredAt)
    else {
      throw MessagingError(.malformedEvent, "the envelope's id, aggregate_id or occurred_at is invalid")
    }
    self.id = id
    self.type = header.type
    self.source = header.source
    self.occurredAt = occurredAt
    self.aggregateID = aggregateID
    self.aggregateVersion = header.aggregateVersion
    self.correlationID = header.correlationID
    self.schemaVersion = header.schemaVersion ?? 1
    self.body = body
  }

  /// The event's `data`, decoded as `T`.
  public func data<T: Decodable>(as type: T.Type) throws(MessagingError) -> T {
    do {
      return try JSONDecoder().decode(DataOnly<T>.self, from: body).data
    } catch {
      throw MessagingError(.malformedEvent, "the data of \(self.type) is not what its consumer expects: \(error)")
    }
  }

  /// The event's data as its contract: refused as ``MessagingError/Code/unknownSchemaVersion``
  /// when the event is of another type or of a schema version the contract does not know, so
  /// that it is dead-lettered rather than read by a guess.
  public func decode<Contract: EventContract>(_ contract: Contract.Type) throws(MessagingError) -> Contract {
    guard type == Contract.type else {
      throw MessagingError(.malformedEvent, "a \(type) event is not \(Contract.type)")
    }
    guard schemaVersion == Contract.schemaVersion else {
      throw MessagingError(
        .unknownSchemaVersion,
        "\(type) schema version \(schemaVersion) is not the version \(Contract.schemaVersion) this consumer reads")
    }
    return try data(as: Contract.self)
  }

  private struct DataOnly<T: Decodable>: Decodable {
    let data: T
  }
}
