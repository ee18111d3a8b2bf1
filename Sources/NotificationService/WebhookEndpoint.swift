import Foundation
import ShopContracts
import ShopRPC

/// A webhook endpoint and who it belongs to. A customer's endpoint receives the events about
/// the customer's own orders; an admin's (`receivesAll`) every event of the types it names.
public struct WebhookEndpoint: Sendable, Hashable {
  public var id: UUID
  public var userID: UUID
  public var receivesAll: Bool
  public var url: URL
  public var events: [String]
  public var enabled: Bool
  public var disabledReason: String?
  public var createdAt: Date

  public init(
    id: UUID, userID: UUID, receivesAll: Bool, url: URL, events: [String], enabled: Bool, disabledReason: String?,
    createdAt: Date
  ) {
    self.id = id
    self.userID = userID
    self.receivesAll = receivesAll
    self.url = url
    self.events = events
    self.enabled = enabled
    self.disabledReason = disabledReason
    self.createdAt = createdAt
  }

  /// The event types an endpoint may name: every event of the catalog.
  public static let eventTypes = EventCatalog.all.map { $0.type }

  /// Whether it is sent `event`, which is about `subject` (the user the event names; none for
  /// an event about no one customer, such as a product's stock).
  public func receives(_ eventType: String, about subject: UUID?) -> Bool {
    guard enabled, events.contains(eventType) else { return false }
    return receivesAll || subject == userID
  }

  /// Why an endpoint is disabled after an attempt, or `nil` when it stays enabled: at once
  /// when it answered 410 Gone, or when this failure makes `limit` failures in a row.
  public static func disabling(afterStatus status: Int?, succeeded: Bool, failuresBefore: Int, limit: Int) -> String? {
    if status == 410 { return "the endpoint answered 410 Gone" }
    if !succeeded && failuresBefore + 1 >= limit { return "\(failuresBefore + 1) failed attempts in a row" }
    return nil
  }

  /// Checks what a client sent: an http or https URL of at most 2048 characters and 1 to 20
  /// known event types (repeats dropped). The address guard is applied separately.
  public static func validated(url: String, events: [String]) throws(NotificationError) -> (url: URL, events: [String])
  {
    var violations: [NotificationError.FieldViolation] = []
    let parsed = URL(string: url)
    if url.isEmpty || url.count > 2048 || parsed?.host == nil {
      violations.append(.init(field: "url", reason: "must be an absolute URL of at most 2048 characters"))
    }
    var seen: Set<String> = []
    let unique = events.filter { seen.insert($0).inserted }
    if unique.isEmpty || unique.count > 20 {
      violations.append(.init(field: "events", reason: "must name 1 to 20 event types"))
    }
    let unknown = unique.filter { !eventTypes.contains($0) }
    if !unknown.isEmpty {
      violations.append(
        .init(
          field: "events",
          reason:
            "names unknown types (\(unknown.joined(separator: ", "))); known: \(eventTypes.joined(separator: ", "))"))
    }
    guard violations.isEmpty, let parsed else { throw .validationFailed(violations) }
    return (parsed, unique)
  }
}
