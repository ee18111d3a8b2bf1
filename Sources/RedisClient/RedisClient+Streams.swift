import NIOCore
import RedisProtocol

/// One entry of a Redis Stream: its id (`<milliseconds>-<sequence>`) and its fields, read as
/// UTF-8 text.
public struct RedisStreamEntry: Sendable, Equatable {
  public var id: String
  public var fields: [String: String]

  public init(id: String, fields: [String: String]) {
    self.id = id
    self.fields = fields
  }

  /// When the entry was added, from the time part of an id the server made (`*`).
  public var addedAtMilliseconds: Int64? {
    id.split(separator: "-").first.flatMap { Int64($0) }
  }
}

/// What `XPENDING` says of a consumer group's entries that were delivered and not
/// acknowledged.
public struct RedisPendingSummary: Sendable, Equatable {
  public var count: Int
  /// The smallest and largest pending ids; nil when nothing is pending.
  public var smallestID: String?
  public var largestID: String?
  /// Pending entries per consumer.
  public var consumers: [String: Int]

  public init(count: Int, smallestID: String?, largestID: String?, consumers: [String: Int]) {
    self.count = count
    self.smallestID = smallestID
    self.largestID = largestID
    self.consumers = consumers
  }
}

/// One pending entry as the extended `XPENDING` form lists it.
public struct RedisPendingEntry: Sendable, Equatable {
  public var id: String
  public var consumer: String
  public var idleMilliseconds: Int
  public var deliveries: Int
}

/// What `XAUTOCLAIM` took over: the entries now held by the claiming consumer, the cursor to
/// go on from (`0-0` when the scan is complete), and ids that were pending but deleted from
/// the stream meanwhile.
public struct RedisAutoClaim: Sendable, Equatable {
  public var next: String
  public var entries: [RedisStreamEntry]
  public var deletedIDs: [String]
}

extension RedisClient {
  /// `XADD key [MAXLEN ~ n] * field value …`: the new entry's id.
  @discardableResult
  public func streamAdd(_ key: String, fields: [(String, String)], approximateMaxLength: Int? = nil) async throws
    -> String
  {
    try await send(Self.streamAddArguments(key, fields: fields, approximateMaxLength: approximateMaxLength))
      .stringOrThrow("XADD")
  }

  static func streamAddArguments(_ key: String, fields: [(String, String)], approximateMaxLength: Int?)
    -> [RESPArgument]
  {
    var arguments: [RESPArgument] = ["XADD", RESPArgument(key)]
    if let approximateMaxLength { arguments += ["MAXLEN", "~", RESPArgument(approximateMaxLength)] }
    arguments.append("*")
    for (field, value) in fields { arguments += [RESPArgument(field), RESPArgument(value)] }
    return arguments
  }

  /// `XGROUP CREATE key group start MKSTREAM`: creates the group (and the stream); false when
  /// the group exists already.
  @discardableResult
  public func streamCreateGroup(_ key: String, group: String, startingAt start: String = "0") async throws -> Bool {
    do {
      _ = try await send(["XGROUP", "CREATE", RESPArgument(key), RESPArgument(group), RESPArgument(start), "MKSTREAM"])
      return true
    } catch let error as RedisError where error.serverErrorPrefix == "BUSYGROUP" {
      return false
    }
  }

  /// `XREADGROUP … STREAMS key >`: up to `count` entries never delivered to the group, waiting
  /// up to `block` for one. It blocks, so it runs on a connection of its own.
  public func streamReadGroup(
    _ key: String, group: String, consumer: String, count: Int, block: Duration
  ) async throws -> [RedisStreamEntry] {
    let arguments: [RESPArgument] = [
      "XREADGROUP", "GROUP", RESPArgument(group), RESPArgument(consumer), "COUNT", RESPArgument(count), "BLOCK",
      RESPArgument(Int(block.wholeMilliseconds)),
      "STREAMS", RESPArgument(key), ">",
    ]
    let reply = try await withDedicatedConnection { connection in
      try await connection.send(arguments, timeout: block + self.configuration.commandTimeout)
    }
    return try Self.readReplyEntries(reply)
  }

  /// `XACK` then `XDEL` of the same ids, in one round trip: how many were acknowledged.
  @discardableResult
  public func streamAcknowledgeAndDelete(_ key: String, group: String, ids: [String]) async throws -> Int {
    guard !ids.isEmpty else { return 0 }
    let replies = try await pipeline([
      ["XACK", RESPArgument(key), RESPArgument(group)] + ids.map { RESPArgument($0) },
      ["XDEL", RESPArgument(key)] + ids.map { RESPArgument($0) },
    ])
    return try Self.integer(replies[0].get())
  }

  /// `XAUTOCLAIM key group consumer min-idle start COUNT n`.
  public func streamAutoClaim(
    _ key: String, group: String, consumer: String, minIdle: Duration, start: String = "0-0", count: Int
  ) async throws -> RedisAutoClaim {
    let idle = Int(minIdle.wholeMilliseconds)
    let reply = try await send([
      "XAUTOCLAIM", RESPArgument(key), RESPArgument(group), RESPArgument(consumer), RESPArgument(idle),
      RESPArgument(start), "COUNT", RESPArgument(count),
    ])
    guard let parts = reply.array, parts.count >= 2, let next = parts[0].string else {
      throw RedisError.unexpectedReply("XAUTOCLAIM expects [cursor, entries, deleted]")
    }
    let deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
    return RedisAutoClaim(next: next, entries: try Self.entries(parts[1]), deletedIDs: deleted)
  }

  /// `XPENDING key group`: the summary form.
  public func streamPending(_ key: String, group: String) async throws -> RedisPendingSummary {
    let reply = try await send(["XPENDING", RESPArgument(key), RESPArgument(group)])
    guard let parts = reply.array, parts.count == 4 else {
      throw RedisError.unexpectedReply("XPENDING expects four parts")
    }
    var consumers: [String: Int] = [:]
    for pair in parts[3].array ?? [] {
      guard let fields = pair.array, fields.count == 2, let name = fields[0].string else { continue }
      consumers[name] = fields[1].string.flatMap { Int($0) } ?? fields[1].int.map { Int($0) } ?? 0
    }
    return RedisPendingSummary(
      count: try Self.integer(parts[0]), smallestID: parts[1].string, largestID: parts[2].string,
      consumers: consumers)
  }

  /// `XPENDING key group start end count`: the extended form, oldest first.
  public func streamPendingEntries(
    _ key: String, group: String, start: String = "-", end: String = "+", count: Int
  ) async throws -> [RedisPendingEntry] {
    let reply = try await send([
      "XPENDING", RESPArgument(key), RESPArgument(group), RESPArgument(start), RESPArgument(end),
      RESPArgument(count),
    ])
    return try (reply.array ?? []).map { item in
      guard let fields = item.array, fields.count == 4, let id = fields[0].string, let consumer = fields[1].string
      else { throw RedisError.unexpectedReply("XPENDING entries expect four fields") }
      return RedisPendingEntry(
        id: id, consumer: consumer, idleMilliseconds: try Self.integer(fields[2]),
        deliveries: try Self.integer(fields[3]))
    }
  }

  /// `XLEN`.
  public func streamLength(_ key: String) async throws -> Int {
    try Self.integer(await send(["XLEN", RESPArgument(key)]))
  }

  /// `XRANGE key start end COUNT n`: entries in id order.
  public func streamRange(_ key: String, start: String = "-", end: String = "+", count: Int) async throws
    -> [RedisStreamEntry]
  {
    try Self.entries(
      await send(["XRANGE", RESPArgument(key), RESPArgument(start), RESPArgument(end), "COUNT", RESPArgument(count)]))
  }

  /// The entries of an `XREADGROUP`/`XREAD` reply for one stream: a map by stream in RESP3, an
  /// array of `[stream, entries]` in RESP2, null when the wait ended with nothing.
  static func readReplyEntries(_ reply: RESPValue) throws -> [RedisStreamEntry] {
    switch reply {
    case .null: return []
    case .map(let pairs): return try pairs.flatMap { try entries($0.value) }
    case .array(let streams):
      return try streams.flatMap { stream -> [RedisStreamEntry] in
        guard let parts = stream.array, parts.count == 2 else {
          throw RedisError.unexpectedReply("XREADGROUP expects [stream, entries]")
        }
        return try entries(parts[1])
      }
    default: throw RedisError.unexpectedReply("XREADGROUP expects streams, got \(reply)")
    }
  }

  /// Entries as `[[id, [field, value, …]], …]`; an entry deleted while pending comes with
  /// null fields and is left out.
  static func entries(_ value: RESPValue) throws -> [RedisStreamEntry] {
    guard let items = value.array else { throw RedisError.unexpectedReply("expected stream entries, got \(value)") }
    return try items.compactMap { item in
      guard let parts = item.array, parts.count == 2, let id = parts[0].string else {
        throw RedisError.unexpectedReply("expected [id, fields], got \(item)")
      }
      guard let flat = parts[1].array else { return nil }
      var fields: [String: String] = [:]
      var iterator = flat.makeIterator()
      while let field = iterator.next(), let value = iterator.next() {
        if let name = field.string, let text = value.string { fields[name] = text }
      }
      return RedisStreamEntry(id: id, fields: fields)
    }
  }
}

extension RESPValue {
  fileprivate func stringOrThrow(_ command: String) throws -> String {
    guard let string else { throw RedisError.unexpectedReply("\(command) expects a string, got \(self)") }
    return string
  }
}
