import Configuration

extension DatabaseConfiguration {
  /// Reads the `database` scope:
  ///
  /// | key | default |
  /// |---|---|
  /// | `database.host` | `127.0.0.1` |
  /// | `database.port` | `5432` |
  /// | `database.user` | `shop` |
  /// | `database.password` (secret) | `shop` |
  /// | `database.name` | the service's own (`users`, …) |
  /// | `database.maxConnections` | `20` |
  public init(config: ConfigReader, defaultName: String) {
    let db = config.scoped(to: "database")
    self.init(
      host: db.string(forKey: "host", default: "127.0.0.1"),
      port: db.int(forKey: "port", default: 5432),
      username: db.string(forKey: "user", default: "shop"),
      password: db.string(forKey: "password", isSecret: true, default: "shop"),
      database: db.string(forKey: "name", default: defaultName),
      maxConnections: db.int(forKey: "maxConnections", default: 20)
    )
  }
}
