import Foundation
import Logging
import NIOCore
import RedisProtocol
import ShopTestSupport
import Synchronization
import Testing

@testable import RedisClient

/// Against the real Redis of the local stack. Serialized: one test stops and starts the
/// server.
@Suite(.serialized, .enabled(if: Infra.redis, "Redis is not reachable"))
struct RedisClientIntegrationTests {
  let prefix = "test:\(UUID().uuidString.prefix(8)):"

  static func configuration(poolSize: Int = 2) -> RedisConfiguration {
    RedisConfiguration(
      host: Infra.redisHost, port: Infra.redisPort, clientName: "swiftshop-tests", poolSize: poolSize,
      leaseTimeout: .seconds(3), commandTimeout: .seconds(3), healthCheckInterval: .milliseconds(500))
  }

  /// Runs `body` with a running client, within a minute; a `disruptive` body (one that stops
  /// the server) alone among the tests that use Redis.
  static func withClient<T: Sendable>(
    _ configuration: RedisConfiguration = configuration(), disruptive: Bool = false,
    _ body: @escaping @Sendable (RedisClient) async throws -> T
  ) async throws -> T {
    if disruptive {
      return try await ServerLock.redis.disruptive { try await run(configuration, body) }
    }
    return try await ServerLock.redis.steady { try await run(configuration, body) }
  }

  private static func run<T: Sendable>(
    _ configuration: RedisConfiguration, _ body: @escaping @Sendable (RedisClient) async throws -> T
  ) async throws -> T {
    try await withDeadline(.seconds(60)) {
      let client = RedisClient(configuration: configuration, logger: Logger(label: "test.redis"))
      return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
          try await client.run()
          return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
      }
    }
  }

  @Test func stringCommands() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let key = prefix + "s"
      #expect(try await redis.getString(key) == nil)
      #expect(try await redis.set(key, to: "v1", condition: .ifPresent) == false)
      #expect(try await redis.set(key, to: "v1", condition: .ifAbsent))
      #expect(try await redis.set(key, to: "v2", condition: .ifAbsent) == false)
      #expect(try await redis.getString(key) == "v1")
      #expect(try await redis.set(key, to: "v3", expiration: .milliseconds(1500)))
      let ttl = try await redis.send(["PTTL", RESPArgument(key)]).int ?? -1
      #expect(ttl > 0 && ttl <= 1500)
      #expect(try await redis.exists(key, prefix + "missing") == 1)
      #expect(try await redis.expire(key, after: .seconds(100)))
      #expect(try await redis.increment(prefix + "n", by: 5) == 5)
      #expect(try await redis.increment(prefix + "n", by: -2) == 3)
      let values = try await redis.get([key, prefix + "missing", prefix + "n"])
      #expect(values.map { $0.map { String(buffer: $0) } } == ["v3", nil, "3"])
      #expect(try await redis.delete(key, prefix + "n", prefix + "missing") == 2)
      try await redis.ping()
    }
  }

  @Test func hashCommands() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let key = prefix + "h"
      #expect(try await redis.hashSet(key, fields: [("a", "1"), ("b", "2")]) == 2)
      #expect(try await redis.hashGet(key, field: "a").map { String(buffer: $0) } == "1")
      #expect(try await redis.hashGetAll(key).mapValues { String(buffer: $0) } == ["a": "1", "b": "2"])
      #expect(try await redis.hashDelete(key, fields: "a", "zzz") == 1)
      #expect(try await redis.hashGet(key, field: "a") == nil)
      await #expect(throws: RedisError.self) { try await redis.increment(key) }
    }
  }

  @Test func serverErrorsKeepTheirText() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let error = await #expect(throws: RedisError.self) { try await redis.send(["NOSUCHCOMMAND"]) }
      #expect(error?.serverErrorPrefix == "ERR")
      // The connection is still usable afterwards.
      try await redis.ping()
    }
  }

  @Test func manyConcurrentCommandsArePipelinedAndMatched() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for i in 0..<2000 {
          group.addTask {
            let key = prefix + "p\(i % 50)"
            let value = try await redis.increment(key, by: i)
            #expect(value >= i)
          }
        }
        try await group.waitForAll()
      }
      let replies = try await redis.pipeline((0..<16).map { ["ECHO", RESPArgument("m\($0)")] })
      #expect(try replies.map { try $0.get().string } == (0..<16).map { "m\($0)" })
    }
  }

  @Test func transactionsRunTogether() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let key = prefix + "tx"
      let results = try await redis.transaction([["SET", RESPArgument(key), "1"], ["INCRBY", RESPArgument(key), "9"]])
      #expect(results.count == 2 && results[1].int == 10)
      await #expect(throws: RedisError.self) {
        try await redis.transaction([["SET", RESPArgument(key)]])  // wrong arity: refused while queueing
      }
      #expect(try await redis.getString(key) == "10")
    }
  }

  @Test func scriptsSurviveAScriptFlush() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
      let key = prefix + "script"
      #expect(try await redis.evaluate(script, keys: [key], arguments: ["2"]).int == 2)
      _ = try await redis.send(["SCRIPT", "FLUSH"])
      #expect(try await redis.evaluate(script, keys: [key], arguments: ["3"]).int == 5)
    }
  }

  @Test func valuesInterchangeWithRedisCLI() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let fromCLI = prefix + "cli"
      _ = try await Infra.tool(
        "redis-cli", ["-h", Infra.redisHost, "-p", "\(Infra.redisPort)", "SET", fromCLI, "héllo wörld"])
      #expect(try await redis.getString(fromCLI) == "héllo wörld")
      let fromClient = prefix + "client"
      let binary = ByteBuffer(bytes: [0x00, 0x0d, 0x0a, 0xff, 0x41])
      try await redis.set(fromClient, to: RESPArgument(binary))
      try await redis.set(prefix + "text", to: "line1\r\nline2")
      let text = try await Infra.tool(
        "redis-cli", ["-h", Infra.redisHost, "-p", "\(Infra.redisPort)", "--no-raw", "GET", prefix + "text"])
      #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == #""line1\r\nline2""#)
      let strlen = try await Infra.tool(
        "redis-cli", ["-h", Infra.redisHost, "-p", "\(Infra.redisPort)", "STRLEN", fromClient])
      #expect(strlen.trimmingCharacters(in: .whitespacesAndNewlines) == "5")
      #expect(try await redis.get(fromClient) == binary)
    }
  }

  @Test func pubSubDeliversAndResubscribesAfterTheConnectionIsKilled() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let channel = prefix + "news"
      let subscribed = AsyncStream.makeStream(of: Void.self)
      let subscription = redis.subscribe(channels: [channel]) { subscribed.continuation.yield() }
      try await withThrowingTaskGroup(of: [String].self) { group in
        group.addTask {
          var received: [String] = []
          for try await message in subscription {
            received.append(String(buffer: message.payload))
            if received.count == 2 { break }
          }
          return received
        }
        var rounds = subscribed.stream.makeAsyncIterator()
        await rounds.next()
        #expect(try await redis.publish("first", to: channel) == 1)
        // Kill the subscriber's connection: it must come back by itself.
        _ = try await redis.send(["CLIENT", "KILL", "TYPE", "pubsub"])
        await rounds.next()
        #expect(try await redis.publish("second", to: channel) == 1)
        let received = try await group.next()
        #expect(received == ["first", "second"])
      }
    }
  }

  @Test func authenticatesSelectsTheDatabaseAndNamesTheConnection() async throws {
    let user = "shop-test-\(UUID().uuidString.prefix(6))"
    try await Self.withClient { (admin: RedisClient) async throws in
      _ = try await admin.send(["ACL", "SETUSER", RESPArgument(user), "on", ">s3cret", "~*", "+@all"])
    }
    var configuration = Self.configuration(poolSize: 1)
    configuration.username = user
    configuration.password = "s3cret"
    configuration.database = 3
    configuration.clientName = "swiftshop-auth-test"
    try await Self.withClient(configuration) { (redis: RedisClient) async throws in
      let info = try await redis.send(["CLIENT", "INFO"]).string ?? ""
      #expect(info.contains("db=3"))
      #expect(info.contains("name=swiftshop-auth-test"))
      #expect(info.contains("user=\(user)"))
    }
    configuration.password = "wrong"
    configuration.leaseTimeout = .milliseconds(300)
    try await Self.withClient(configuration) { (redis: RedisClient) async throws in
      await #expect(throws: RedisError.poolTimeout) { try await redis.ping() }
    }
    try await Self.withClient { (admin: RedisClient) async throws in
      _ = try await admin.send(["ACL", "DELUSER", RESPArgument(user)])
    }
  }

  @Test func aCommandPastItsTimeoutFailsAndItsConnectionIsReplaced() async throws {
    var configuration = Self.configuration(poolSize: 1)
    configuration.commandTimeout = .milliseconds(200)
    try await Self.withClient(configuration) { (redis: RedisClient) async throws in
      let clock = ContinuousClock()
      let start = clock.now
      await #expect(throws: RedisError.timeout) { try await redis.send(["BLPOP", RESPArgument(prefix + "none"), "5"]) }
      #expect(clock.now - start < .seconds(2))
      // The replacement connects in the background; on a loaded machine its first ping can
      // itself outlast the 200 ms timeout, so the test waits for one that answers.
      try await withDeadline(.seconds(10)) {
        try await waitUntil { (try? await redis.ping()) != nil }
      }
    }
  }

  @Test func cancellingTheCallerStopsTheWait() async throws {
    try await Self.withClient { (redis: RedisClient) async throws in
      let clock = ContinuousClock()
      let start = clock.now
      let result = try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
          do {
            _ = try await redis.withDedicatedConnection { connection in
              try await connection.send(["BLPOP", RESPArgument(prefix + "none"), "5"], timeout: .seconds(10))
            }
            return false
          } catch {
            return error is CancellationError
          }
        }
        try await Self.waitUntilBlocked(redis)
        group.cancelAll()
        return try await group.next() ?? false
      }
      #expect(result)
      #expect(clock.now - start < .seconds(4))
    }
  }

  /// Waits until the server reports a client blocked in BLPOP; the check runs on a shared
  /// connection while the BLPOP holds a dedicated one.
  static func waitUntilBlocked(_ redis: RedisClient) async throws {
    let deadline = ContinuousClock.now + .seconds(4)
    while try await redis.send(["CLIENT", "LIST"]).string?.contains("cmd=blpop") != true {
      guard ContinuousClock.now < deadline else {
        Issue.record("no client blocked in BLPOP")
        return
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  @Test func stoppingTheServerFailsCommandsInFlightAndThePoolRecovers() async throws {
    try await Self.withClient(Self.configuration(poolSize: 2), disruptive: true) { (redis: RedisClient) async throws in
      try await redis.ping()
      // BLPOP keeps a command in flight until the server goes away.
      let outcome = try await withThrowingTaskGroup(of: RedisError?.self) { group in
        group.addTask {
          do {
            _ = try await redis.withDedicatedConnection { connection in
              try await connection.send(["BLPOP", RESPArgument(prefix + "never"), "30"], timeout: .seconds(40))
            }
            return nil
          } catch let error as RedisError {
            return error
          }
        }
        try await Self.waitUntilBlocked(redis)
        let (stopStatus, stopOutput) = try await Infra.script("ctl", "stop", "redis")
        #expect(stopStatus == 0, "scripts/ctl stop redis: \(stopOutput)")
        return try await group.next() ?? nil
      }
      #expect(outcome?.isConnectionError == true)
      await #expect(throws: RedisError.self) { try await redis.ping() }

      let (startStatus, startOutput) = try await Infra.script("ctl", "start", "redis")
      #expect(startStatus == 0, "scripts/ctl start redis: \(startOutput)")
      // The same client serves again once a connection is back.
      let clock = ContinuousClock()
      let deadline = clock.now + .seconds(20)
      while true {
        do {
          try await redis.ping()
          break
        } catch let error as RedisError where error.isConnectionError && clock.now < deadline {
          continue
        }
      }
      #expect(try await redis.set(prefix + "after", to: "ok"))
    }
  }
}
