import Foundation

extension Date {
  /// RFC 3339 in UTC with milliseconds (`2026-01-01T12:00:00.000Z`): how every service writes
  /// times into messages, events and API responses.
  public var rfc3339: String {
    formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
