import Foundation
import RedisClient
import RedisProtocol

/// The fulfillment jobs on Redis: the stream `fulfillment:jobs` read by the consumer group
/// `workers`, the stream `fulfillment:dead` of jobs that failed too often, and per order a
/// marker that keeps a second job for the same order off the stream.
///
/// The order service enqueues and drops jobs; the workers read, claim, acknowledge and bury
/// them; `shop fulfillment` reads the status and retries dead jobs.
public struct FulfillmentQueue: Sendable {
  public static let group = "workers"

  public let redis: RedisClient
  public let jobsKey: String
  public let deadKey: String
  let prefix: String
  /// How long the per-order marker outlives its job: longer than any order waits to be packed.
  let markerLifetime: Duration

  public init(redis: RedisClient, prefix: String = "fulfillment", markerLifetime: Duration = .seconds(30 * 86_400)) {
    self.redis = redis
    self.prefix = prefix
    self.jobsKey = "\(prefix):jobs"
    self.deadKey = "\(prefix):dead"
    self.markerLifetime = markerLifetime
  }

  var attemptsKey: String { "\(prefix):attempts" }
  var errorsKey: String { "\(prefix):errors" }
  /// The per-order marker, which says the order has had a job.
  public func markerKey(_ orderID: UUID) -> String { "\(prefix):order:\(orderID.uuidString.lowercased())" }

  // MARK: - The order service's side

  /// Appends the job unless the order has had one already: the entry's id, or nil when the
  /// marker says a job exists (on the stream, pending, dead or done). A job lost with Redis's
  /// last second of writes loses its marker with it, so enqueueing again brings it back.
  @discardableResult
  public func enqueue(_ job: FulfillmentJob) async throws -> String? {
    let arguments =
      [RESPArgument(Int(markerLifetime.components.seconds))]
      + job.fields.flatMap {
        [RESPArgument($0.0), RESPArgument($0.1)]
      }
    return try await redis.evaluate(Self.enqueueScript, keys: [markerKey(job.orderID), jobsKey], arguments: arguments)
      .string
  }

  /// Takes the order's job off the stream, pending or not (a cancelled order is not packed);
  /// true when there was one. The marker stays, so the job is not enqueued again.
  @discardableResult
  public func drop(orderID: UUID) async throws -> Bool {
    try await redis.evaluate(
      Self.dropScript, keys: [markerKey(orderID), jobsKey, attemptsKey, errorsKey], arguments: [.init(Self.group)]
    ).int == 1
  }

  // MARK: - The workers' side

  /// Creates the stream and the group when they do not exist, from the stream's start so that
  /// jobs added before the first worker came are read.
  public func prepare() async throws {
    try await redis.streamCreateGroup(jobsKey, group: Self.group, startingAt: "0")
  }

  /// New jobs for `consumer`, waiting up to `block` for one.
  public func read(consumer: String, count: Int, block: Duration) async throws -> [RedisStreamEntry] {
    try await redis.streamReadGroup(jobsKey, group: Self.group, consumer: consumer, count: count, block: block)
  }

  /// Takes over jobs that another consumer (or this one) has held longer than `idle` without
  /// acknowledging them: it died, or is stuck.
  public func claim(consumer: String, idle: Duration, count: Int) async throws -> [RedisStreamEntry] {
    var claimed: [RedisStreamEntry] = []
    var cursor = "0-0"
    repeat {
      let page = try await redis.streamAutoClaim(
        jobsKey, group: Self.group, consumer: consumer, minIdle: idle, start: cursor, count: count)
      claimed += page.entries
      cursor = page.next
    } while cursor != "0-0" && claimed.count < count
    return claimed
  }

  /// The job is done (or skipped): off the pending list and the stream.
  public func acknowledge(_ id: String) async throws {
    _ = try await redis.pipeline([
      ["XACK", .init(jobsKey), .init(Self.group), .init(id)],
      ["XDEL", .init(jobsKey), .init(id)],
      ["HDEL", .init(attemptsKey), .init(id)],
      ["HDEL", .init(errorsKey), .init(id)],
    ]).map { try $0.get() }
  }

  /// Counts a failed attempt at a job with its error: the attempts so far.
  public func recordFailure(_ id: String, error: String) async throws -> Int {
    let replies = try await redis.pipeline([
      ["HINCRBY", .init(attemptsKey), .init(id), 1],
      ["HSET", .init(errorsKey), .init(id), .init(error)],
    ])
    guard let attempts = try replies[0].get().int else {
      throw RedisError.unexpectedReply("HINCRBY expects an integer")
    }
    return Int(attempts)
  }

  /// Moves a job that failed too often to the dead stream with its error and attempts, in one
  /// step: it is on exactly one of the two streams.
  public func bury(_ entry: RedisStreamEntry, error: String, attempts: Int) async throws {
    var arguments: [RESPArgument] = [.init(Self.group), .init(entry.id)]
    let fields = entry.fields.filter { !Self.deadFields.contains($0.key) }.sorted { $0.key < $1.key }
    for (field, value) in fields { arguments += [.init(field), .init(value)] }
    arguments += [
      "error", .init(error), "attempts", .init(attempts), "job_id", .init(entry.id),
      "failed_at", .init(ISO8601DateFormatter().string(from: Date())),
    ]
    _ = try await redis.evaluate(
      Self.buryScript, keys: [jobsKey, deadKey, attemptsKey, errorsKey], arguments: arguments)
  }

  // MARK: - The operator's side

  /// What `shop fulfillment status` prints and the worker's gauges report.
  public func status(deadListed: Int = 20, now: Date = Date()) async throws -> FulfillmentQueueStatus {
    let length = try await redis.streamLength(jobsKey)
    // Before any worker ran, there is no group and nothing is pending.
    let pending =
      (try? await redis.streamPending(jobsKey, group: Self.group))
      ?? RedisPendingSummary(count: 0, smallestID: nil, largestID: nil, consumers: [:])
    var oldest: Duration?
    if let smallest = pending.smallestID,
      let added = RedisStreamEntry(id: smallest, fields: [:]).addedAtMilliseconds
    {
      oldest = .milliseconds(max(0, Int64(now.timeIntervalSince1970 * 1000) - added))
    }
    let deadCount = try await redis.streamLength(deadKey)
    // Redis answers COUNT 0 with null, not with no entries.
    let dead = deadListed > 0 ? try await redis.streamRange(deadKey, count: deadListed) : []
    return FulfillmentQueueStatus(
      length: length, pending: pending.count, pendingByConsumer: pending.consumers, oldestPendingAge: oldest,
      deadCount: deadCount, dead: dead)
  }

  /// Moves up to `limit` dead jobs back onto the jobs stream, each in one step, with their
  /// attempts starting again: how many moved.
  public func retryDead(limit: Int = 1000) async throws -> Int {
    var moved = 0
    for entry in try await redis.streamRange(deadKey, count: limit) {
      var arguments: [RESPArgument] = [.init(entry.id)]
      for (field, value) in entry.fields.sorted(by: { $0.key < $1.key }) where !Self.deadFields.contains(field) {
        arguments += [.init(field), .init(value)]
      }
      if try await redis.evaluate(Self.retryScript, keys: [deadKey, jobsKey], arguments: arguments).string != nil {
        moved += 1
      }
    }
    return moved
  }

  /// The fields a dead job carries beside the job's own.
  static let deadFields: Set<String> = ["error", "attempts", "job_id", "failed_at"]

  // KEYS: marker, jobs. ARGV: marker lifetime in seconds, then the job's fields and values.
  static let enqueueScript = RedisScript(
    """
    if not redis.call('SET', KEYS[1], 'enqueuing', 'NX', 'EX', ARGV[1]) then return false end
    local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
    redis.call('SET', KEYS[1], id, 'EX', ARGV[1])
    return id
    """)

  // KEYS: marker, jobs, attempts, errors. ARGV: group.
  static let dropScript = RedisScript(
    """
    local id = redis.call('GET', KEYS[1])
    if not id then return 0 end
    redis.call('XACK', KEYS[2], ARGV[1], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    return redis.call('XDEL', KEYS[2], id)
    """)

  // KEYS: jobs, dead, attempts, errors. ARGV: group, id, then the dead entry's fields and values.
  static let buryScript = RedisScript(
    """
    if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return false end
    redis.call('XDEL', KEYS[1], ARGV[2])
    redis.call('HDEL', KEYS[3], ARGV[2])
    redis.call('HDEL', KEYS[4], ARGV[2])
    return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
    """)

  // KEYS: dead, jobs. ARGV: the dead entry's id, then the job's fields and values.
  static let retryScript = RedisScript(
    """
    if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return false end
    return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
    """)
}

/// The queue as an operator sees it.
public struct FulfillmentQueueStatus: Sendable, Equatable {
  /// Entries on the jobs stream: waiting or being worked on.
  public var length: Int
  /// Delivered to a worker and not acknowledged.
  public var pending: Int
  public var pendingByConsumer: [String: Int]
  /// Since the oldest pending job was added.
  public var oldestPendingAge: Duration?
  public var deadCount: Int
  /// The first dead jobs, oldest first.
  public var dead: [RedisStreamEntry]
}
