import NIOCore
import RedisProtocol

/// How `SET` treats an existing key.
public enum RedisSetCondition: Sendable {
  /// Only if the key does not exist (`NX`).
  case ifAbsent
  /// Only if the key exists (`XX`).
  case ifPresent
}

extension RedisClient {
  /// `PING`: round trip to the server.
  public func ping() async throws {
    _ = try await send(["PING"])
  }

  /// `GET`: the value, or nil when the key does not exist.
  public func get(_ key: String) async throws -> ByteBuffer? {
    try Self.optionalBlob(await send(["GET", RESPArgument(key)]))
  }

  /// `GET` decoded as UTF-8.
  public func getString(_ key: String) async throws -> String? {
    try await get(key).map { String(buffer: $0) }
  }

  /// `SET` with an optional expiry (`EX`/`PX`) and condition (`NX`/`XX`). Returns false when
  /// the condition kept the value from being set.
  @discardableResult
  public func set(
    _ key: String, to value: RESPArgument, expiration: Duration? = nil, condition: RedisSetCondition? = nil
  ) async throws -> Bool {
    var arguments: [RESPArgument] = ["SET", RESPArgument(key), value]
    if let expiration {
      let millis = expiration.wholeMilliseconds
      if millis % 1000 == 0 {
        arguments += ["EX", RESPArgument(Int(millis / 1000))]
      } else {
        arguments += ["PX", RESPArgument(Int(millis))]
      }
    }
    switch condition {
    case .ifAbsent: arguments.append("NX")
    case .ifPresent: arguments.append("XX")
    case nil: break
    }
    let reply = try await send(arguments)
    return !reply.isNull
  }

  /// `DEL`: how many of the keys existed.
  @discardableResult
  public func delete(_ keys: String...) async throws -> Int {
    try Self.integer(await send(["DEL"] + keys.map { RESPArgument($0) }))
  }

  /// `EXISTS`: how many of the keys exist (a key named twice counts twice).
  public func exists(_ keys: String...) async throws -> Int {
    try Self.integer(await send(["EXISTS"] + keys.map { RESPArgument($0) }))
  }

  /// `EXPIRE` in whole seconds: false when the key does not exist.
  @discardableResult
  public func expire(_ key: String, after duration: Duration) async throws -> Bool {
    try Self.integer(await send(["EXPIRE", RESPArgument(key), RESPArgument(Int(duration.components.seconds))])) == 1
  }

  /// `INCRBY`: the value after the increment.
  @discardableResult
  public func increment(_ key: String, by amount: Int = 1) async throws -> Int {
    try Self.integer(await send(["INCRBY", RESPArgument(key), RESPArgument(amount)]))
  }

  /// `MGET`: one value or nil per key, in order.
  public func get(_ keys: [String]) async throws -> [ByteBuffer?] {
    guard case .array(let values) = try await send(["MGET"] + keys.map { RESPArgument($0) }) else {
      throw RedisError.unexpectedReply("MGET expects an array")
    }
    return try values.map(Self.optionalBlob)
  }

  /// `HGET`: one field of a hash, or nil.
  public func hashGet(_ key: String, field: String) async throws -> ByteBuffer? {
    try Self.optionalBlob(await send(["HGET", RESPArgument(key), RESPArgument(field)]))
  }

  /// `HSET`: sets fields; returns how many were new.
  @discardableResult
  public func hashSet(_ key: String, fields: [(String, RESPArgument)]) async throws -> Int {
    var arguments: [RESPArgument] = ["HSET", RESPArgument(key)]
    for (field, value) in fields { arguments += [RESPArgument(field), value] }
    return try Self.integer(await send(arguments))
  }

  /// `HDEL`: how many of the fields existed.
  @discardableResult
  public func hashDelete(_ key: String, fields: String...) async throws -> Int {
    try Self.integer(await send(["HDEL", RESPArgument(key)] + fields.map { RESPArgument($0) }))
  }

  /// `HGETALL`: every field of a hash (a map in RESP3, a flat array in RESP2).
  public func hashGetAll(_ key: String) async throws -> [String: ByteBuffer] {
    var result: [String: ByteBuffer] = [:]
    switch try await send(["HGETALL", RESPArgument(key)]) {
    case .map(let pairs):
      for pair in pairs {
        guard let field = pair.key.string, let value = try Self.optionalBlob(pair.value) else { continue }
        result[field] = value
      }
    case .array(let flat):
      var iterator = flat.makeIterator()
      while let field = iterator.next(), let value = iterator.next() {
        if let name = field.string, let buffer = try Self.optionalBlob(value) { result[name] = buffer }
      }
    default:
      throw RedisError.unexpectedReply("HGETALL expects a map")
    }
    return result
  }

  static func integer(_ value: RESPValue) throws -> Int {
    guard let int = value.int else { throw RedisError.unexpectedReply("expected an integer, got \(value)") }
    return Int(int)
  }

  static func optionalBlob(_ value: RESPValue) throws -> ByteBuffer? {
    switch value {
    case .null: return nil
    case .blobString(let buffer): return buffer
    case .simpleString(let s): return ByteBuffer(string: s)
    case .verbatimString(_, let text): return ByteBuffer(string: text)
    default: throw RedisError.unexpectedReply("expected a string, got \(value)")
    }
  }
}
