import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import RedisProtocol
import ServiceLifecycle
import Synchronization
import Tracing

/// A pooled, pipelining Redis client. Run it as a `Service` (its `run()` keeps the pool's
/// connections up, reconnecting with backoff, and checks idle ones); send commands from any
/// task.
///
/// ```swift
/// let redis = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:6379"), logger: logger)
/// // in a ServiceGroup, or: group.addTask { try await redis.run() }
/// try await redis.set("greeting", to: "hello", expiration: .seconds(60))
/// let value = try await redis.get("greeting")
/// ```
public final class RedisClient: Service, Sendable {
  public let configuration: RedisConfiguration
  let logger: Logger
  private let eventLoopGroup: any EventLoopGroup
  private let state: Mutex<RedisPoolState<RedisConnection>>
  private let waiters = Mutex<[UUID: CheckedContinuation<Void, Never>]>([:])
  private let metrics: RedisMetrics

  public init(
    configuration: RedisConfiguration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger
  ) {
    self.configuration = configuration
    self.eventLoopGroup = eventLoopGroup
    self.logger = logger
    self.state = Mutex(RedisPoolState(size: configuration.poolSize))
    self.metrics = RedisMetrics()
  }

  /// Keeps every slot of the pool connected until graceful shutdown or cancellation, then
  /// closes the connections.
  public func run() async throws {
    await withTaskCancellationOrGracefulShutdownHandler {
      await withTaskGroup(of: Void.self) { group in
        for slot in 0..<configuration.poolSize {
          group.addTask { await self.maintain(slot: slot) }
        }
        group.addTask { await self.checkHealth() }
        await group.waitForAll()
      }
    } onCancelOrGracefulShutdown: {
      self.shutdown()
    }
    shutdown()
  }

  /// Connected connections right now.
  public var readyConnections: Int { state.withLock { $0.readyCount } }

  /// Sends any command, on the least busy connection. Server error replies throw
  /// ``RedisError/server(_:)``. Blocking commands (`BLPOP`) belong on
  /// ``withDedicatedConnection(_:)``: a shared connection answers in order, so they would
  /// hold up everyone behind them.
  @discardableResult
  public func send(_ arguments: [RESPArgument]) async throws -> RESPValue {
    let name = Self.commandName(arguments)
    return try await instrumented(name) {
      let connection = try await acquire()
      return try await connection.send(arguments, timeout: configuration.commandTimeout)
    }
  }

  /// Sends commands together on one connection, in one write; replies come back in order,
  /// each as its own result.
  public func pipeline(_ commands: [[RESPArgument]]) async throws -> [Result<RESPValue, RedisError>] {
    try await instrumented("pipeline") {
      let connection = try await acquire()
      return try await connection.pipeline(commands, timeout: configuration.commandTimeout)
    }
  }

  /// Runs `body` with a connection nobody else uses meanwhile (for `MULTI`/`EXEC`, `WATCH`
  /// or blocking commands).
  ///
  /// When `body` throws (a timeout, a cancelled wait), the connection may still have a command
  /// in flight, so it is closed rather than shared again; its slot reconnects.
  public func withDedicatedConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
    let connection = try await acquire(exclusive: true)
    defer { state.withLock { $0.release(connection) } }
    do {
      return try await body(connection)
    } catch {
      await connection.close()
      throw error
    }
  }

  // MARK: - Pool

  private func acquire(exclusive: Bool = false) async throws -> RedisConnection {
    let clock = ContinuousClock()
    let deadline = clock.now + configuration.leaseTimeout
    var waited = false
    while true {
      let picked: RedisConnection? = state.withLock { state in
        guard !state.isShutdown else { return nil }
        return exclusive
          ? state.leaseExclusive(load: { $0.inFlight })
          : state.leastLoaded(load: { $0.inFlight })
      }
      if let picked, picked.isActive {
        if waited { metrics.poolWait(clock.now - (deadline - configuration.leaseTimeout)) }
        return picked
      }
      if let picked { state.withLock { $0.release(picked) } }
      if state.withLock({ $0.isShutdown }) { throw RedisError.clientClosed }
      guard clock.now < deadline else { throw RedisError.poolTimeout }
      waited = true
      try await waitForConnection(until: deadline)
    }
  }

  /// Returns when a connection may have become ready, at the deadline, or on cancellation.
  private func waitForConnection(until deadline: ContinuousClock.Instant) async throws {
    let id = UUID()
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        await withTaskCancellationHandler {
          await withCheckedContinuation { continuation in
            let ready = self.state.withLock { $0.readyCount > 0 || $0.isShutdown }
            if ready {
              continuation.resume()
            } else {
              self.waiters.withLock { $0[id] = continuation }
            }
          }
        } onCancel: {
          self.waiters.withLock { $0.removeValue(forKey: id) }?.resume()
        }
      }
      group.addTask { try? await Task.sleep(until: deadline) }
      await group.next()
      group.cancelAll()
    }
    try Task.checkCancellation()
  }

  private func wakeWaiters() {
    for continuation in waiters.withLock({ w in
      defer { w.removeAll() }; return Array(w.values)
    }) {
      continuation.resume()
    }
  }

  /// Connects one slot, and connects it again whenever the connection ends.
  private func maintain(slot: Int) async {
    var backoff = configuration.reconnectBackoff.initial
    while !Task.isCancelled && !state.withLock({ $0.isShutdown }) {
      do {
        let connection = try await RedisConnection.connect(
          configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        let accepted = state.withLock { state in
          guard !state.isShutdown else { return false }
          state.connected(connection, slot: slot)
          return true
        }
        guard accepted else {
          await connection.close()
          return
        }
        backoff = configuration.reconnectBackoff.initial
        wakeWaiters()
        try? await connection.channel.closeFuture.get()
        state.withLock { $0.disconnected(slot: slot) }
        if !state.withLock({ $0.isShutdown }) {
          metrics.reconnect()
          logger.info("redis connection lost; reconnecting", metadata: ["redis.slot": "\(slot)"])
        }
      } catch {
        logger.debug("redis connect failed", metadata: ["error.message": "\(error)", "retry.delay": "\(backoff)"])
        try? await Task.sleep(for: backoff)
        backoff = Swift.min(backoff * 2, configuration.reconnectBackoff.maximum)
      }
    }
  }

  /// Pings each connection that has nothing in flight, closing those that do not answer so
  /// their slot reconnects.
  private func checkHealth() async {
    while !Task.isCancelled && !state.withLock({ $0.isShutdown }) {
      try? await Task.sleep(for: configuration.healthCheckInterval)
      let idle = state.withLock { state in
        state.slots.compactMap { slot -> RedisConnection? in
          if case .ready(let c) = slot, c.inFlight == 0 { c } else { nil }
        }
      }
      for connection in idle {
        do {
          _ = try await connection.send(["PING"], timeout: configuration.connectTimeout)
        } catch {
          guard !Task.isCancelled, !state.withLock({ $0.isShutdown }) else { return }
          logger.info("redis health check failed", metadata: ["error.message": "\(error)"])
          await connection.close()
        }
      }
    }
  }

  private func shutdown() {
    let connections = state.withLock { $0.shutdown() }
    for connection in connections {
      connection.channel.close(promise: nil)
    }
    wakeWaiters()
  }

  // MARK: - Instrumentation

  private func instrumented<T>(_ command: String, _ body: () async throws -> T) async throws -> T {
    let start = ContinuousClock.now
    return try await withSpan("redis \(command)", ofKind: .client) { span in
      span.attributes["db.system"] = "redis"
      span.attributes["db.operation.name"] = command
      do {
        let value = try await body()
        metrics.command(command, outcome: "ok", duration: ContinuousClock.now - start)
        return value
      } catch let error as RedisError {
        metrics.command(command, outcome: error.code, duration: ContinuousClock.now - start)
        span.recordError(error)
        throw error
      } catch {
        metrics.command(command, outcome: "cancelled", duration: ContinuousClock.now - start)
        throw error
      }
    }
  }

  static func commandName(_ arguments: [RESPArgument]) -> String {
    guard let first = arguments.first, case .string(let name) = first else { return "unknown" }
    return name.uppercased()
  }
}
