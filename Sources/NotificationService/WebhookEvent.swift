import Foundation
import ShopContracts

/// An event as webhook endpoints receive it, in the Standard Webhooks payload shape
/// `{"type", "timestamp", "data"}`, with the user it is about (its data's `user_id`).
public struct WebhookEvent: Sendable, Hashable {
  public var id: UUID
  public var type: String
  public var subject: UUID?
  /// The request body, fixed once so that every attempt sends the same bytes.
  public var body: String

  public struct Malformed: Error, CustomStringConvertible {
    public var description: String { "the event's data is not a JSON object" }
  }

  /// From an event's id, type, time and the whole envelope it came in.
  public init(id: UUID, type: String, occurredAt: Date, envelope: Data) throws {
    guard let object = try JSONSerialization.jsonObject(with: envelope) as? [String: Any],
      let data = object["data"] as? [String: Any]
    else { throw Malformed() }
    self.id = id
    self.type = type
    subject = (data["user_id"] as? String).flatMap(UUID.init(uuidString:))
    let payload: [String: Any] = ["type": type, "timestamp": occurredAt.rfc3339, "data": data]
    body = String(
      decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]),
      as: UTF8.self)
  }
}
