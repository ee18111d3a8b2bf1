/// A configuration value is missing or out of range; the process refuses to start.
public struct ConfigurationError: Error, CustomStringConvertible {
  public let description: String

  public init(_ description: String) {
    self.description = description
  }
}
