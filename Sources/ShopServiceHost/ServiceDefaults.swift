/// The listeners and database a service uses unless configured otherwise (DESIGN.md §1).
public struct ServiceDefaults: Sendable {
  public var grpcPort: Int
  public var adminPort: Int
  public var databaseName: String

  public init(grpcPort: Int, adminPort: Int, databaseName: String) {
    self.grpcPort = grpcPort
    self.adminPort = adminPort
    self.databaseName = databaseName
  }
}
