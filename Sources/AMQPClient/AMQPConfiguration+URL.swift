import NIOSSL

extension AMQPConfiguration {
  /// Reads a RabbitMQ URI: `amqp://user:password@host:port/vhost?heartbeat=10&connection_timeout=5`,
  /// or `amqps://` for TLS.
  ///
  /// User, password and virtual host are percent-decoded, so the virtual host `/` is written
  /// `%2F`; without a path the virtual host is `/`. `heartbeat` and `connection_timeout` are in
  /// seconds; other query parameters are refused so that a misspelt one is noticed.
  public init(url: String) throws(AMQPError) {
    let rest: Substring
    var tls: TLSConfiguration?
    if url.hasPrefix("amqp://") {
      rest = url.dropFirst("amqp://".count)
    } else if url.hasPrefix("amqps://") {
      rest = url.dropFirst("amqps://".count)
      tls = .makeClientConfiguration()
    } else {
      throw AMQPError(.invalidConfiguration, detail: "not an amqp:// or amqps:// URL")
    }
    self.init(tls: tls)

    var remainder = rest
    var query: Substring = ""
    if let mark = remainder.firstIndex(of: "?") {
      query = remainder[remainder.index(after: mark)...]
      remainder = remainder[..<mark]
    }
    var authority = remainder
    if let slash = remainder.firstIndex(of: "/") {
      authority = remainder[..<slash]
      let path = remainder[remainder.index(after: slash)...]
      if !path.isEmpty {
        guard !path.contains("/") else {
          throw AMQPError(.invalidConfiguration, detail: "the virtual host must be one path segment; write / as %2F")
        }
        virtualHost = try Self.percentDecoded(path)
      }
    }
    if let at = authority.lastIndex(of: "@") {
      let credentials = authority[..<at]
      authority = authority[authority.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        username = try Self.percentDecoded(credentials[..<colon])
        password = try Self.percentDecoded(credentials[credentials.index(after: colon)...])
      } else {
        username = try Self.percentDecoded(credentials)
      }
    }
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
      host = String(authority[authority.index(after: authority.startIndex)..<close])
      authority = authority[authority.index(after: close)...]
      if !authority.isEmpty {
        guard authority.hasPrefix(":") else { throw AMQPError(.invalidConfiguration, detail: "bad host in URL") }
        port = try Self.port(authority.dropFirst())
      }
    } else {
      if let colon = authority.lastIndex(of: ":") {
        port = try Self.port(authority[authority.index(after: colon)...])
        authority = authority[..<colon]
      }
      if !authority.isEmpty { host = String(authority) }
    }
    for parameter in query.split(separator: "&") where !parameter.isEmpty {
      let parts = parameter.split(separator: "=", maxSplits: 1)
      let name = parts[0]
      let value = parts.count == 2 ? parts[1] : ""
      switch name {
      case "heartbeat":
        heartbeat = .seconds(try Self.seconds(value, name))
      case "connection_timeout":
        connectionTimeout = .seconds(try Self.seconds(value, name))
      default:
        throw AMQPError(.invalidConfiguration, detail: "unknown URL parameter \(name)")
      }
    }
  }

  private static func port(_ text: Substring) throws(AMQPError) -> Int {
    guard let port = Int(text), (1...65535).contains(port) else {
      throw AMQPError(.invalidConfiguration, detail: "bad port in URL")
    }
    return port
  }

  private static func seconds(_ text: Substring, _ name: Substring) throws(AMQPError) -> Int {
    guard let value = Int(text), value >= 0 else {
      throw AMQPError(.invalidConfiguration, detail: "\(name) must be a whole number of seconds")
    }
    return value
  }

  /// Decodes `%XX` escapes; a malformed escape is an error rather than text taken literally,
  /// since it usually means a password was not encoded.
  private static func percentDecoded(_ text: Substring) throws(AMQPError) -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next(), let low = iterator.next(),
        let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
      else { throw AMQPError(.invalidConfiguration, detail: "malformed percent escape in URL") }
      bytes.append(value)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
