import AMQPClient
import CoreMetrics
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ShopPersistence
import Synchronization

/// Publishes what a service recorded in its outbox to `shop.events`, with publisher confirms
/// and `mandatory`, and marks it published.
///
/// Woken by `LISTEN outbox` (every commit that recorded events notifies) and by a poll as a
/// fallback. Each round claims a batch of unpublished rows with `FOR UPDATE SKIP LOCKED`, so
/// several relays share one outbox without publishing a row twice, and keeps the locks until
/// the broker confirmed the batch and the rows are marked, in one transaction. A relay that
/// dies in between leaves the rows unpublished: they go out again (a duplicate, which the
/// consumers' inbox absorbs), never lost. Nothing remembers a position in the table, so a row
/// whose transaction commits late is found by the next round like any other. An event waits
/// while an earlier version of its aggregate is unpublished, so each aggregate's events go
/// out in version order.
public final class OutboxRelay: Service, Sendable {
  public struct Options: Sendable {
    /// Most events claimed and published per round.
    public var batchSize: Int
    /// How often to look for events when no notification came.
    public var pollInterval: Duration
    /// How long a batch may wait for the broker's confirms.
    public var publishTimeout: Duration
    /// How long published events are kept for replay.
    public var retention: Duration
    /// How often the relay reports its state and the backlog.
    public var heartbeatInterval: Duration

    public init(
      batchSize: Int = 200, pollInterval: Duration = .seconds(1), publishTimeout: Duration = .seconds(10),
      retention: Duration = .seconds(7 * 24 * 3600), heartbeatInterval: Duration = .seconds(5)
    ) {
      self.batchSize = batchSize
      self.pollInterval = pollInterval
      self.publishTimeout = publishTimeout
      self.retention = retention
      self.heartbeatInterval = heartbeatInterval
    }
  }

  /// What the relay is doing, as `shop events status` shows it.
  public enum Phase: String, Sendable {
    case starting, idle, publishing, stopped
    case waitingForBroker = "waiting_for_broker"
    case backingOff = "backing_off"
  }

  /// Runs after the broker confirmed a batch and before its rows are marked published; a
  /// fault hook through which tests stop the relay at the worst moment.
  public typealias ConfirmedHook = @Sendable ([UUID]) async throws -> Void

  struct Status {
    var phase = Phase.starting
    var detail: String?
    var published: Int64 = 0
    var stopping = false
  }

  public let service: String
  public let instance: String
  let client: PostgresClient
  let amqp: AMQPConnection
  let options: Options
  let logger: Logger
  let metrics: RelayMetrics
  let afterConfirm: ConfirmedHook?
  let status = Mutex(Status())
  let wakeup = Wakeup()
  let channel: ConfirmChannel

  public init(
    service: String, client: PostgresClient, amqp: AMQPConnection, options: Options = Options(), logger: Logger,
    afterConfirm: ConfirmedHook? = nil
  ) {
    self.service = service
    self.instance = "\(service)@\(ProcessInfo.processInfo.hostName):\(getpid())/\(UUID().uuidString.prefix(8))"
    self.client = client
    self.amqp = amqp
    self.options = options
    self.logger = logger
    self.metrics = RelayMetrics(service: service)
    self.afterConfirm = afterConfirm
    self.channel = ConfirmChannel(amqp: amqp) { try await EventTopology.declareExchange(on: $0) }
  }

  /// The current phase, and the events this relay has published.
  public var phase: Phase { status.withLock { $0.phase } }
  public var published: Int64 { status.withLock { $0.published } }

  public func run() async throws {
    await withGracefulShutdownHandler {
      await withTaskGroup(of: Void.self) { group in
        group.addTask { await self.listen() }
        group.addTask { await self.housekeeping() }
        await self.publishLoop()
        group.cancelAll()
      }
      await self.channel.reset()
    } onGracefulShutdown: {
      self.status.withLock { $0.stopping = true }
      self.wakeup.signal()
    }
    set(.stopped)
    try? await heartbeat()
  }

  private var isStopping: Bool { status.withLock { $0.stopping } || Task.isCancelled }

  func set(_ phase: Phase, _ detail: String? = nil) {
    status.withLock {
      $0.phase = phase
      $0.detail = detail
    }
  }

  // MARK: Rounds

  private func publishLoop() async {
    var failures = 0
    while !isStopping {
      await wakeup.wait()
      while !isStopping {
        guard amqp.isConnected else {
          set(.waitingForBroker, "the broker is not connected")
          break
        }
        do {
          let round = try await publishBatch()
          failures = 0
          // Returned events go out again on the next poll, not in a tight loop.
          if round.published == 0 && (round.deferred == 0 || round.returned > 0) {
            set(.idle)
            break
          }
          // What waits for another relay's batch of the same aggregate is tried again soon.
          if round.published == 0 { try await Task.sleep(for: .milliseconds(20)) }
        } catch {
          if isStopping { break }
          failures += 1
          metrics.failures.increment()
          // Whatever went wrong, the next round starts on a fresh channel.
          await channel.reset()
          set(.backingOff, "\(error)")
          logger.info(
            "outbox relay round failed; backing off",
            metadata: ["error.message": "\(error)", "outbox.failures": "\(failures)"])
          let delay = Duration.milliseconds(min(5000, 100 << min(failures - 1, 6)))
          try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
      }
    }
  }

  /// Wakes the relay on every notification of a commit that recorded events.
  private func listen() async {
    await client.wakeOnNotifications(on: "outbox", retryInterval: options.pollInterval, logger: logger) {
      self.wakeup.signal()
    }
  }

  /// The polling fallback, the heartbeat with the backlog, and the retention.
  private func housekeeping() async {
    var lastHeartbeat = ContinuousClock.now - options.heartbeatInterval
    while !Task.isCancelled {
      wakeup.signal()
      if ContinuousClock.now - lastHeartbeat >= options.heartbeatInterval {
        lastHeartbeat = .now
        do {
          try await heartbeat()
          try await deleteExpired()
        } catch {
          logger.debug("outbox heartbeat failed", metadata: ["error.message": "\(error)"])
        }
      }
      try? await Task.sleep(for: options.pollInterval)
    }
  }
}
