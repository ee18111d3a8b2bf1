/// A field of a request that failed validation, and why: the `errors` of a
/// `validation_failed` problem, carried from a service to the gateway in the call's error
/// detail.
public struct FieldViolation: Sendable, Equatable, Codable {
  public let field: String
  public let reason: String

  public init(field: String, reason: String) {
    self.field = field
    self.reason = reason
  }
}
