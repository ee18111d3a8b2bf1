import Foundation

/// One event for one endpoint, as its delivery log lists it. Its id is the `webhook-id` of
/// every attempt.
public struct WebhookDelivery: Sendable, Hashable {
  public var id: UUID
  public var endpointID: UUID
  public var eventID: UUID
  public var eventType: String
  /// `pending` until the first attempt; listed as `retrying`.
  public var storedStatus: String
  public var attempts: Int
  public var lastStatusCode: Int?
  public var lastError: String?
  public var createdAt: Date
  public var deliveredAt: Date?

  public init(
    id: UUID, endpointID: UUID, eventID: UUID, eventType: String, storedStatus: String, attempts: Int,
    lastStatusCode: Int?, lastError: String?, createdAt: Date, deliveredAt: Date?
  ) {
    self.id = id
    self.endpointID = endpointID
    self.eventID = eventID
    self.eventType = eventType
    self.storedStatus = storedStatus
    self.attempts = attempts
    self.lastStatusCode = lastStatusCode
    self.lastError = lastError
    self.createdAt = createdAt
    self.deliveredAt = deliveredAt
  }

  public var status: String { storedStatus == "pending" ? "retrying" : storedStatus }

  /// The `webhook-id` header: the delivery's id, the same on every attempt, so that the
  /// receiver handles a repeated one once.
  public var webhookID: String { Self.webhookID(of: id) }

  public static func webhookID(of delivery: UUID) -> String { "msg_" + delivery.uuidString.lowercased() }
}
