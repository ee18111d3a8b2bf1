import NIOSSL

/// Where Redis is and how the client uses it.
public struct RedisConfiguration: Sendable {
  public var host: String
  public var port: Int
  public var username: String?
  public var password: String?
  /// The logical database (`SELECT`).
  public var database: Int
  /// The name the connections announce (`CLIENT SETNAME`), shown by `CLIENT LIST`.
  public var clientName: String?
  /// TLS when set (`rediss://`).
  public var tls: TLSConfiguration?
  public var tlsServerName: String?
  /// Connections in the pool; commands are spread over them and pipelined on each.
  public var poolSize: Int
  /// How long a command may wait for a usable connection.
  public var leaseTimeout: Duration
  /// How long a command may wait for its reply.
  public var commandTimeout: Duration
  public var connectTimeout: Duration
  /// How often idle connections are checked with `PING`.
  public var healthCheckInterval: Duration
  /// Reconnect backoff: doubles from the first to the last value.
  public var reconnectBackoff: (initial: Duration, maximum: Duration)

  public init(
    host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
    database: Int = 0, clientName: String? = nil, tls: TLSConfiguration? = nil, poolSize: Int = 4,
    leaseTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(5),
    connectTimeout: Duration = .seconds(2),
    healthCheckInterval: Duration = .seconds(15),
    reconnectBackoff: (initial: Duration, maximum: Duration) = (.milliseconds(50), .seconds(2))
  ) {
    precondition(poolSize > 0, "a pool needs at least one connection")
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.database = database
    self.clientName = clientName
    self.tls = tls
    self.poolSize = poolSize
    self.leaseTimeout = leaseTimeout
    self.commandTimeout = commandTimeout
    self.connectTimeout = connectTimeout
    self.healthCheckInterval = healthCheckInterval
    self.reconnectBackoff = reconnectBackoff
  }

  /// Reads `redis://[user:password@]host[:port][/database]` or `rediss://` (TLS).
  public init(url: String) throws {
    self.init()
    let rest: Substring
    if url.hasPrefix("redis://") {
      rest = url.dropFirst("redis://".count)
    } else if url.hasPrefix("rediss://") {
      rest = url.dropFirst("rediss://".count)
      tls = .makeClientConfiguration()
    } else {
      throw RedisError.connectionFailed("not a redis:// URL: \(url)")
    }
    var authority = rest
    if let slash = rest.firstIndex(of: "/") {
      authority = rest[..<slash]
      let path = rest[rest.index(after: slash)...]
      if !path.isEmpty {
        guard let db = Int(path), db >= 0 else { throw RedisError.connectionFailed("bad database in \(url)") }
        database = db
      }
    }
    if let at = authority.lastIndex(of: "@") {
      let credentials = authority[..<at]
      authority = authority[authority.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        let user = credentials[..<colon]
        username = user.isEmpty ? nil : String(user).removingPercentEncodingIfPossible
        password = String(credentials[credentials.index(after: colon)...]).removingPercentEncodingIfPossible
      } else if !credentials.isEmpty {
        password = String(credentials).removingPercentEncodingIfPossible
      }
    }
    if let colon = authority.lastIndex(of: ":") {
      guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
        throw RedisError.connectionFailed("bad port in \(url)")
      }
      port = p
      authority = authority[..<colon]
    }
    if !authority.isEmpty { host = String(authority) }
  }
}

extension String {
  /// Decodes `%XX` escapes, leaving the text as it is when they are malformed.
  fileprivate var removingPercentEncodingIfPossible: String {
    guard contains("%") else { return self }
    var bytes: [UInt8] = []
    var iterator = utf8.makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      {
        bytes.append(value)
      } else if byte == UInt8(ascii: "%") {
        return self
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
