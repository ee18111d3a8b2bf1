import Foundation
import Logging
import NIOCore
import RedisClient
import RedisProtocol

/// `redis-bench`: GET/SET throughput of the RedisClient library, with the parameters of
/// `redis-benchmark -t set,get -c CLIENTS -n REQUESTS -d SIZE [-P PIPELINE]`, so that the two
/// can be compared on one server in one run. Prints one JSON object:
/// `{"set_ops_per_s", "get_ops_per_s", "get_set_ops_per_s"}`.
@main
struct RedisBenchmark {
  struct Options {
    var host = "127.0.0.1"
    var port = 6379
    var clients = 50
    var requests = 100_000
    var pipeline = 1
    var dataSize = 3
    var connections = 4
  }

  static func main() async throws {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
      guard let value = arguments.next() else { break }
      switch flag {
      case "-h": options.host = value
      case "-p": options.port = Int(value) ?? options.port
      case "-c": options.clients = Int(value) ?? options.clients
      case "-n": options.requests = Int(value) ?? options.requests
      case "-P": options.pipeline = Int(value) ?? options.pipeline
      case "-d": options.dataSize = Int(value) ?? options.dataSize
      case "--connections": options.connections = Int(value) ?? options.connections
      default: fatalError("unknown option \(flag)")
      }
    }
    var logger = Logger(label: "redis-bench")
    logger.logLevel = .warning
    let redis = RedisClient(
      configuration: RedisConfiguration(host: options.host, port: options.port, poolSize: options.connections),
      logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await redis.run() }
      try await redis.ping()
      let value = RESPArgument(ByteBuffer(repeating: UInt8(ascii: "x"), count: options.dataSize))
      let set = try await measure(redis, options) { ["SET", "key:__rand_int__", value] }
      let get = try await measure(redis, options) { ["GET", "key:__rand_int__"] }
      let combined = 2 * Double(options.requests) / (Double(options.requests) / set + Double(options.requests) / get)
      print(#"{"set_ops_per_s": \#(Int(set)), "get_ops_per_s": \#(Int(get)), "get_set_ops_per_s": \#(Int(combined))}"#)
      group.cancelAll()
    }
  }

  /// Runs `requests` commands from `clients` concurrent workers, in batches of `pipeline`;
  /// returns commands per second.
  static func measure(
    _ redis: RedisClient, _ options: Options, command: @escaping @Sendable () -> [RESPArgument]
  ) async throws -> Double {
    let perClient = options.requests / options.clients
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<options.clients {
        group.addTask {
          var sent = 0
          while sent < perClient {
            if options.pipeline == 1 {
              _ = try await redis.send(command())
              sent += 1
            } else {
              let batch = min(options.pipeline, perClient - sent)
              for result in try await redis.pipeline((0..<batch).map { _ in command() }) {
                _ = try result.get()
              }
              sent += batch
            }
          }
        }
      }
      try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(perClient * options.clients) / seconds
  }
}
