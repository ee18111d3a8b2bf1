/// What the generator refuses or fails at, with a stable code for the control API and the
/// command line.
public struct TrafficError: Error, CustomStringConvertible, Sendable {
  public enum Code: String, Sendable {
    /// `PUT /mode` named no known mode, or a parameter out of its range.
    case validationFailed = "validation_failed"
    /// An SLO expression the run cannot check.
    case invalidSLO = "invalid_slo"
    /// A duration such as `15s` or `2m` that does not parse.
    case invalidDuration = "invalid_duration"
    /// The stack did not let the generator prepare its accounts or read the catalog.
    case setupFailed = "setup_failed"
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
