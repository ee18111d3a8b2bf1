import Foundation

/// A notification as its owner lists it (API.md `GET /api/v1/notifications`).
public struct NotificationRecord: Sendable, Hashable {
  public var id: UUID
  public var channel: NotificationChannel
  public var template: NotificationTemplate
  /// As stored: `pending` until the first attempt, then `sent`, `retrying`, `failed`, or
  /// `skipped`.
  public var storedStatus: String
  public var read: Bool
  public var createdAt: Date

  /// The status API.md names: a notification not yet tried is on its way, as one to be tried
  /// again is.
  public var status: String { storedStatus == "pending" ? "retrying" : storedStatus }
}
