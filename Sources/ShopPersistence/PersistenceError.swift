/// Errors of the persistence layer, with a stable code.
public struct PersistenceError: Error, Sendable, CustomStringConvertible {
  public enum Code: String, Sendable {
    case invalidMigration = "invalid_migration"
    case migrationFailed = "migration_failed"
    case databaseUnavailable = "database_unavailable"
  }

  public let code: Code
  public let message: String
  public let underlying: (any Error)?

  public init(code: Code, message: String, underlying: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  public var description: String {
    if let underlying { return "\(code.rawValue): \(message): \(String(reflecting: underlying))" }
    return "\(code.rawValue): \(message)"
  }
}
