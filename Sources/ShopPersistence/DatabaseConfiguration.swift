import PostgresNIO

/// Where a service's PostgreSQL database is and how many connections it may hold.
public struct DatabaseConfiguration: Sendable, Equatable {
  public var host: String
  public var port: Int
  public var username: String
  public var password: String
  public var database: String
  public var maxConnections: Int

  public init(
    host: String = "127.0.0.1",
    port: Int = 5432,
    username: String = "shop",
    password: String = "shop",
    database: String,
    maxConnections: Int = 20
  ) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
    self.maxConnections = maxConnections
  }

  public func clientConfiguration() -> PostgresClient.Configuration {
    var configuration = PostgresClient.Configuration(
      host: host,
      port: port,
      username: username,
      password: password,
      database: database,
      tls: .disable
    )
    configuration.options.maximumConnections = maxConnections
    configuration.options.connectTimeout = .seconds(3)
    return configuration
  }

  /// The same server, another database (the maintenance database `postgres`, say).
  public func with(database: String) -> DatabaseConfiguration {
    var copy = self
    copy.database = database
    return copy
  }
}
