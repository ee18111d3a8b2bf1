import Foundation

extension Date {
  /// RFC 3339 in UTC with milliseconds (`2026-01-01T12:00:00.000Z`): how every service writes
  /// times into messages, events and API responses.
  public var rfc3339: String {
    formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }

  /// Reads an RFC 3339 time with or without fractional seconds.
  public init?(rfc3339 text: String) {
    guard
      let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
        ?? (try? Date.ISO8601FormatStyle().parse(text))
    else { return nil }
    self = date
  }
}

extension UUID {
  /// The lower-case form ids take on the wire.
  public var lowercased: String { uuidString.lowercased() }
}
