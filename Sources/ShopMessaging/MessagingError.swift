/// A failure of the event backbone, with a stable code.
public struct MessagingError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: String, Sendable, Hashable {
    /// A message body that is not an event envelope.
    case malformedEvent = "malformed_event"
    /// An event whose data's schema version its consumer does not know.
    case unknownSchemaVersion = "unknown_schema_version"
    /// The broker returned a `mandatory` message: no queue is bound for its routing key.
    case unroutable
    /// An argument of an operation (a queue name, a time range) is not usable.
    case invalidArgument = "invalid_argument"
    /// The broker is not connected.
    case brokerUnavailable = "broker_unavailable"
    /// The relay was stopped on purpose between the broker's confirm and the published mark.
    case faultInjected = "fault_injected"
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code.rawValue): \(message)" }
}
