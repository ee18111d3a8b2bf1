import Foundation
import Logging
import RedisClient
import RedisProtocol

/// A running client of the real Redis, for tests that need one.
public enum TestRedis {
  /// Runs `body` with a client of Redis at `port`, within a minute, then stops it; while no
  /// test stops the server.
  public static func with<T: Sendable>(
    port: Int = Infra.redisPort, poolSize: Int = 2, _ body: @escaping @Sendable (RedisClient) async throws -> T
  ) async throws -> T {
    try await ServerLock.redis.steady {
      try await run(port: port, poolSize: poolSize, body)
    }
  }

  /// A client of a loopback port nothing listens on, with short timeouts: for what happens
  /// without Redis. Run it (`run()`) like any client.
  public static func unreachable() throws -> RedisClient {
    var configuration = RedisConfiguration(port: try freeLoopbackPort())
    configuration.leaseTimeout = .milliseconds(50)
    configuration.connectTimeout = .milliseconds(100)
    return RedisClient(configuration: configuration, logger: Logger(label: "test.redis"))
  }

  /// Runs `body` with a client and a key prefix of its own (`test-…`), then deletes every key
  /// under the prefix, whether `body` succeeded or not.
  public static func withPrefix<T: Sendable>(
    poolSize: Int = 2, _ body: @escaping @Sendable (RedisClient, String) async throws -> T
  ) async throws -> T {
    try await with(poolSize: poolSize) { redis in
      let prefix = "test-\(UUID().uuidString.prefix(8))"
      do {
        let result = try await body(redis, prefix)
        try await deleteKeys(under: prefix, in: redis)
        return result
      } catch {
        try? await deleteKeys(under: prefix, in: redis)
        throw error
      }
    }
  }

  private static func deleteKeys(under prefix: String, in redis: RedisClient) async throws {
    let keys = try await redis.send(["KEYS", RESPArgument("\(prefix):*")]).array?.compactMap(\.string) ?? []
    guard !keys.isEmpty else { return }
    try await redis.send(["DEL"] + keys.map { RESPArgument($0) })
  }

  private static func run<T: Sendable>(
    port: Int, poolSize: Int, _ body: @escaping @Sendable (RedisClient) async throws -> T
  ) async throws -> T {
    try await withDeadline(.seconds(60)) {
      let redis = RedisClient(
        configuration: RedisConfiguration(
          host: Infra.redisHost, port: port, clientName: "swiftshop-tests", poolSize: poolSize,
          leaseTimeout: .seconds(3), commandTimeout: .seconds(3), healthCheckInterval: .milliseconds(500)),
        logger: Logger(label: "test.redis"))
      return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
          try await redis.run()
          return nil
        }
        defer { group.cancelAll() }
        return try await body(redis)
      }
    }
  }
}
