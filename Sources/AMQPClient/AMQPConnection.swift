import AMQPProtocol
import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A connection to RabbitMQ that heals itself, shared by any number of ``AMQPChannel``s.
///
/// The connection is a `Service`: ``run()`` connects, and after a lost connection reconnects
/// with backoff and restores channels, the topology declared through them and their consumers.
/// Graceful shutdown cancels the consumers, waits (up to the configured shutdown timeout) for
/// publishes in flight to be confirmed, and closes with the close handshake.
///
/// ```swift
/// let connection = AMQPConnection(configuration: try AMQPConfiguration(url: url), logger: logger)
/// try await AMQPConnection.withRunning(connection) {
///   let channel = try await connection.openChannel()
///   try await channel.confirmSelect()
///   try await channel.queueDeclare("orders", arguments: AMQPQueueArguments(type: .quorum).table)
///   try await channel.publish(Array("hello".utf8), routingKey: "orders")
/// }
/// ```
public final class AMQPConnection: Service, Sendable {
  /// Where the broker is and how to talk to it.
  public let configuration: AMQPConfiguration
  /// What happens to the connection: connected, lost, recovered, blocked, unblocked. Keeps the
  /// latest 100 events for a reader that falls behind; iterate it from one task.
  public let events: AsyncStream<AMQPConnectionEvent>
  let metrics = AMQPMetrics()
  let logger: Logger
  private let eventLoopGroup: any EventLoopGroup
  private let eventContinuation: AsyncStream<AMQPConnectionEvent>.Continuation
  let state: Mutex<State>

  struct State {
    enum Phase {
      case idle
      case running
      case shuttingDown
      case closed
    }

    var phase = Phase.idle
    /// The connection operations use; nil while connecting or recovering.
    var transport: AMQPTransport?
    /// The connection being set up, so that shutdown can close it too.
    var connecting: AMQPTransport?
    var blockedReason: String?
    var waiters: [Int: Waiter] = [:]
    var nextWaiter = 0
    var channels: [UInt16: AMQPChannel] = [:]
    var topology = AMQPTopology()
    var epoch: UInt64 = 0
    /// Whether a connection was ever open, which makes the next one a recovery.
    var hasConnected = false

    struct Waiter {
      var publishing: Bool
      var continuation: CheckedContinuation<AMQPTransport, any Error>
    }

    /// The transport for an operation, unless it has to wait.
    func usable(publishing: Bool) -> AMQPTransport? {
      guard let transport, !(publishing && blockedReason != nil) else { return nil }
      return transport
    }

    /// Takes the waiters that may go on now.
    mutating func takeReadyWaiters() -> [(CheckedContinuation<AMQPTransport, any Error>, AMQPTransport)] {
      var ready: [(CheckedContinuation<AMQPTransport, any Error>, AMQPTransport)] = []
      for (id, waiter) in waiters {
        guard let transport = usable(publishing: waiter.publishing) else { continue }
        ready.append((waiter.continuation, transport))
        waiters[id] = nil
      }
      return ready
    }
  }

  /// Creates a connection; nothing happens until ``run()``.
  public init(
    configuration: AMQPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger
  ) {
    self.configuration = configuration
    self.eventLoopGroup = eventLoopGroup
    self.logger = logger
    (events, eventContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(100))
    state = Mutex(State())
  }

  /// Whether the broker currently blocks publishing.
  public var isBlocked: Bool { state.withLock { $0.blockedReason != nil } }

  /// Whether a connection is open and restored, so that operations go out at once.
  public var isConnected: Bool { state.withLock { $0.transport != nil } }

  /// Runs `body` while the connection runs, then shuts it down gracefully; for programs and
  /// tests that are not organised as a `ServiceGroup`.
  public static func withRunning<Result: Sendable>(
    _ connection: AMQPConnection, _ body: @Sendable () async throws -> Result
  ) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await connection.run() }
      do {
        let result = try await body()
        connection.shutdown()
        try await group.waitForAll()
        return result
      } catch {
        connection.shutdown()
        try? await group.waitForAll()
        throw error
      }
    }
  }

  /// Opens a channel, waiting for the connection when it is not open yet.
  public func openChannel(timeout: Duration? = nil) async throws -> AMQPChannel {
    let deadline = deadline(timeout)
    let transport = try await transport(publishing: false, until: deadline)
    let channel = try state.withLock { state throws(AMQPError) -> AMQPChannel in
      // The highest number is kept for declaring the topology again during recovery.
      let limit = max(transport.tuning.channelMax, 1)
      guard let number = (1..<limit).first(where: { state.channels[$0] == nil }) else {
        throw AMQPError(.channelLimitReached, detail: "\(state.channels.count) channels are open")
      }
      let channel = AMQPChannel(number: number, connection: self)
      state.channels[number] = channel
      return channel
    }
    do {
      try await transport.openChannel(channel.number, until: deadline)
    } catch {
      channelRemoved(channel)
      throw error
    }
    return channel
  }

  /// Starts graceful shutdown, as the service group's graceful shutdown does; ``run()``
  /// returns once the connection is closed.
  public func shutdown() {
    let transport = state.withLock { state -> AMQPTransport? in
      guard state.phase == .running || state.phase == .idle else { return nil }
      state.phase = .shuttingDown
      return state.transport ?? state.connecting
    }
    guard let transport else { return }
    let done = transport.eventLoop.makePromise(of: Void.self)
    transport.send(.shutdown(drainTimeout: TimeAmount(configuration.shutdownTimeout), done))
  }

  // MARK: Internals for channels

  var currentTransport: AMQPTransport? { state.withLock { $0.transport } }

  func deadline(_ timeout: Duration?) -> NIODeadline {
    .now() + TimeAmount(timeout ?? configuration.operationTimeout)
  }

  func record(_ change: (inout AMQPTopology) -> Void) {
    state.withLock { change(&$0.topology) }
  }

  func channelRemoved(_ channel: AMQPChannel) {
    state.withLock { state in
      if state.channels[channel.number] === channel { state.channels[channel.number] = nil }
    }
  }

  /// The open connection, waiting until `deadline` while there is none or, for publishing,
  /// while the broker blocks publishes.
  func transport(publishing: Bool, until deadline: NIODeadline) async throws -> AMQPTransport {
    let fast = try state.withLock { state throws(AMQPError) -> AMQPTransport? in
      if state.phase == .closed || state.phase == .shuttingDown {
        throw AMQPError(.closed, detail: "the connection is closed")
      }
      return state.usable(publishing: publishing)
    }
    if let fast { return fast }
    return try await withThrowingTaskGroup(of: AMQPTransport.self) { group in
      group.addTask {
        try await Task.sleep(for: .nanoseconds((deadline - .now()).nanoseconds))
        let reason = self.state.withLock { $0.blockedReason }
        throw AMQPError(
          .timeout,
          detail: reason.map { "publishing is blocked by the broker: \($0)" } ?? "the connection did not come back")
      }
      group.addTask { try await self.waitForTransport(publishing: publishing) }
      defer { group.cancelAll() }
      return try await group.next()!
    }
  }

  private func waitForTransport(publishing: Bool) async throws -> AMQPTransport {
    let id = state.withLock { state in
      defer { state.nextWaiter += 1 }
      return state.nextWaiter
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AMQPTransport, any Error>) in
        let result = state.withLock { state -> Result<AMQPTransport, any Error>? in
          if state.phase == .closed || state.phase == .shuttingDown {
            return .failure(AMQPError(.closed, detail: "the connection is closed"))
          }
          if let transport = state.usable(publishing: publishing) { return .success(transport) }
          if Task.isCancelled { return .failure(CancellationError()) }
          state.waiters[id] = State.Waiter(publishing: publishing, continuation: continuation)
          return nil
        }
        if let result { continuation.resume(with: result) }
      }
    } onCancel: {
      state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
    }
  }

  // MARK: Running

  /// Connects and keeps the connection up until graceful shutdown or cancellation.
  ///
  /// Throws only when recovery is turned off and the connection cannot be made or is lost.
  public func run() async throws {
    let alreadyRunning = state.withLock { state in
      defer { if state.phase == .idle { state.phase = .running } }
      return state.phase != .idle
    }
    precondition(!alreadyRunning, "run() is called once per connection")
    try await withGracefulShutdownHandler {
      try await withTaskCancellationHandler {
        try await connectionLoop()
      } onCancel: {
        self.closeImmediately()
      }
    } onGracefulShutdown: {
      self.shutdown()
    }
  }

  private func connectionLoop() async throws {
    var failures = 0
    defer { finish() }
    while !isStopping {
      do {
        let transport = try await connect()
        failures = 0
        let reason = try await transport.closed.get()
        disconnected(because: reason)
        if isStopping { return }
        guard configuration.automaticRecovery else { throw reason }
      } catch let error as AMQPError {
        if isStopping { return }
        guard configuration.automaticRecovery else { throw error }
        logger.info(
          "amqp connection failed", metadata: ["error.message": "\(error)", "amqp.attempt": "\(failures + 1)"])
      }
      failures += 1
      let delay = backoff(failures)
      try? await cancelWhenGracefulShutdown {
        try await Task.sleep(for: delay)
      }
      if Task.isCancelled { return }
    }
  }

  private var isStopping: Bool {
    state.withLock { $0.phase != .running } || Task.isCancelled
  }

  /// Opens a new connection and restores what the previous one had.
  private func connect() async throws -> AMQPTransport {
    let epoch = state.withLock { state in
      state.epoch += 1
      return state.epoch
    }
    let transport = try await AMQPTransport.connect(
      configuration: configuration, epoch: epoch, eventLoopGroup: eventLoopGroup, events: handlerEvents(epoch: epoch),
      metrics: metrics, logger: logger)
    let stopping = state.withLock { state in
      state.connecting = transport
      return state.phase != .running
    }
    if stopping {
      transport.channel.close(promise: nil)
      throw AMQPError(.closed)
    }
    do {
      try await restore(on: transport)
    } catch {
      transport.channel.close(promise: nil)
      state.withLock { $0.connecting = nil }
      throw (error as? AMQPError) ?? AMQPError(.connectionLost, detail: "\(error)")
    }
    let (ready, shuttingDown, recovered) = state.withLock { state in
      state.connecting = nil
      state.transport = transport
      defer { state.hasConnected = true }
      return (state.takeReadyWaiters(), state.phase == .shuttingDown, state.hasConnected)
    }
    for (continuation, transport) in ready { continuation.resume(returning: transport) }
    if recovered { metrics.recoveries.increment() }
    eventContinuation.yield(recovered ? .recovered : .connected)
    logger.info(
      recovered ? "amqp connection recovered" : "amqp connected",
      metadata: ["server.address": "\(configuration.host)", "server.port": "\(configuration.port)"])
    if shuttingDown { shutdown() }
    return transport
  }

  private func disconnected(because reason: AMQPError) {
    guard reason.code != .closed else { return }
    eventContinuation.yield(.disconnected(reason))
    logger.info("amqp connection lost", metadata: ["error.message": "\(reason)"])
  }

  /// The connection is over for good: consumers end, waiting operations fail.
  private func finish() {
    let (channels, waiters) = state.withLock { state in
      state.phase = .closed
      state.transport = nil
      defer {
        state.channels.removeAll()
        state.waiters.removeAll()
      }
      return (Array(state.channels.values), Array(state.waiters.values))
    }
    for channel in channels { channel.markClosed(AMQPError(.closed, detail: "the connection was closed")) }
    for waiter in waiters {
      waiter.continuation.resume(throwing: AMQPError(.closed, detail: "the connection was closed"))
    }
    eventContinuation.finish()
  }

  private func closeImmediately() {
    let transport = state.withLock { state in
      state.phase = .shuttingDown
      return state.transport ?? state.connecting
    }
    transport?.channel.close(promise: nil)
  }

  /// Full jitter over a doubling delay, so that many clients do not reconnect in step.
  private func backoff(_ failures: Int) -> Duration {
    let (initial, maximum) = configuration.recoveryBackoff
    let ceiling = min(maximum, initial * (1 << min(failures - 1, 20)))
    let nanoseconds = max(ceiling.nanoseconds, 1)
    return .nanoseconds(Int64.random(in: nanoseconds / 2...nanoseconds))
  }

  private func handlerEvents(epoch: UInt64) -> AMQPHandlerEvents {
    var events = AMQPHandlerEvents()
    events.blocked = { [weak self] reason in
      guard let self else { return }
      self.state.withLock { $0.blockedReason = reason }
      self.eventContinuation.yield(.blocked(reason: reason))
      self.logger.info("amqp connection blocked", metadata: ["amqp.reason": "\(reason)"])
    }
    events.unblocked = { [weak self] in
      guard let self else { return }
      let ready = self.state.withLock { state in
        state.blockedReason = nil
        return state.takeReadyWaiters()
      }
      for (continuation, transport) in ready { continuation.resume(returning: transport) }
      self.eventContinuation.yield(.unblocked)
      self.logger.info("amqp connection unblocked")
    }
    events.channelClosed = { [weak self] number, error in
      guard let self, error.code != .closed else { return }
      let channel = self.state.withLock { state -> AMQPChannel? in
        guard state.transport?.epoch == epoch || state.connecting?.epoch == epoch else { return nil }
        return state.channels.removeValue(forKey: number)
      }
      channel?.markClosed(error)
      if channel != nil {
        self.logger.info(
          "amqp channel closed by the broker", metadata: ["amqp.channel": "\(number)", "error.message": "\(error)"])
      }
    }
    events.closed = { [weak self] _ in
      // At once, so that no further operation picks the dead connection.
      self?.state.withLock { state in
        if state.transport?.epoch == epoch { state.transport = nil }
        state.blockedReason = nil
      }
    }
    events.consumerCancelled = { [weak self] number, tag in
      self?.state.withLock { $0.channels[number] }?.consumerCancelledByBroker(tag)
    }
    return events
  }
}
