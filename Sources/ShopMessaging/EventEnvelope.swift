import Foundation

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
      let occurredAt = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(header.occurredAt))
        ?? (try? Date.ISO8601FormatStyle().parse(header.occurredAt))
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

  private struct DataOnly<T: Decodable>: Decodable {
    let data: T
  }
}
