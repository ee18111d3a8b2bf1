import Foundation
import FulfillmentQueue
import Logging
import Metrics
import RedisClient
import ServiceLifecycle
import ShopResilience

/// One worker of the consumer group: reads new jobs, claims jobs other workers left pending
/// too long, packs each (``PackingPlan``), reports it to the order service and acknowledges
/// the job only once the order service accepted the report. A worker killed between the two
/// leaves the job pending, and a worker claims it after `claimIdle`; the report is idempotent.
///
/// A job that fails for good (`PackFailure.permanent`) is tried `maxAttempts` times in all
/// workers together, then moved to the dead stream with its error. When Redis or the order
/// service is down the worker waits and backs off; nothing is counted and nothing lost.
public final class FulfillmentWorker<Report: PackingReport>: Service {
  public struct Options: Sendable {
    public var consumer: String
    public var claimIdle: Duration
    public var maxAttempts: Int
    public var batch: Int
    public var block: Duration
    public var warehouses: Warehouses
    public var holdBeforeAck: Duration
    /// The first and the longest wait after a failure.
    public var backoff: Backoff

    public init(
      consumer: String, claimIdle: Duration = .seconds(30), maxAttempts: Int = 5, batch: Int = 10,
      block: Duration = .seconds(2), warehouses: Warehouses, holdBeforeAck: Duration = .zero,
      backoff: Backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
    ) {
      self.consumer = consumer
      self.claimIdle = claimIdle
      self.maxAttempts = maxAttempts
      self.batch = batch
      self.block = block
      self.warehouses = warehouses
      self.holdBeforeAck = holdBeforeAck
      self.backoff = backoff
    }
  }

  let queue: FulfillmentQueue
  let report: Report
  let options: Options
  let logger: Logger
  let metrics = FulfillmentMetrics()

  public init(queue: FulfillmentQueue, report: Report, options: Options, logger: Logger) {
    self.queue = queue
    self.report = report
    self.options = options
    self.logger = logger
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      await withTaskGroup(of: Void.self) { group in
        group.addTask { await self.readNew() }
        group.addTask { await self.claimAbandoned() }
        group.addTask { await self.reportQueue() }
        await group.waitForAll()
      }
    }
  }

  /// New jobs, as they come.
  private func readNew() async {
    var prepared = false
    await retrying("fulfillment jobs not read") {
      if !prepared {
        try await queue.prepare()
        prepared = true
      }
      let entries = try await queue.read(consumer: options.consumer, count: options.batch, block: options.block)
      await work(entries)
    }
  }

  /// Jobs held too long by a worker that died or hangs (or by this one before a restart).
  private func claimAbandoned() async {
    await retrying("abandoned fulfillment jobs not claimed") {
      try await Task.sleep(for: options.claimIdle / 2)
      let entries = try await queue.claim(consumer: options.consumer, idle: options.claimIdle, count: options.batch)
      if !entries.isEmpty {
        logger.info("claimed abandoned fulfillment jobs", metadata: ["fulfillment.claimed": "\(entries.count)"])
        metrics.claimed.increment(by: entries.count)
      }
      await work(entries)
    }
  }

  /// The queue's gauges, from Redis every few seconds.
  private func reportQueue() async {
    await retrying("fulfillment queue not measured") {
      metrics.record(try await queue.status(deadListed: 0))
      try await Task.sleep(for: .seconds(5))
    }
  }

  /// Runs `body` again and again until cancelled, backing off while it fails.
  private func retrying(_ failure: String, _ body: () async throws -> Void) async {
    await repeatUntilCancelled(
      backoff: options.backoff,
      onFailure: { error, delay in
        logger.warning("\(failure)", metadata: ["error.message": "\(error)", "retry.delay": "\(delay)"])
      }, body)
  }

  /// Works on the entries together; returns when each is acknowledged, buried or given up
  /// for now (shutdown).
  func work(_ entries: [RedisStreamEntry]) async {
    await withTaskGroup(of: Void.self) { group in
      for entry in entries { group.addTask { await self.handle(entry) } }
    }
  }

  /// One job, until it is done, dead, or the worker stops.
  func handle(_ entry: RedisStreamEntry) async {
    var delay = options.backoff.initial
    while !Task.isCancelled {
      do throws(PackFailure) {
        let outcome = try await attempt(entry)
        metrics.finished(outcome)
        logger.debug(
          "fulfillment job done",
          metadata: ["fulfillment.job": "\(entry.id)", "fulfillment.outcome": "\(outcome.rawValue)"])
        return
      } catch {
        switch error {
        case .permanent(let reason):
          if await failed(entry, reason) { return }
        case .transient(let reason):
          logger.warning(
            "fulfillment job waits", metadata: ["fulfillment.job": "\(entry.id)", "error.message": "\(reason)"])
        }
      }
      try? await Task.sleep(for: delay)
      delay = options.backoff.next(after: delay)
    }
  }

  /// Counts a failed attempt; true when it was the last and the job is buried.
  private func failed(_ entry: RedisStreamEntry, _ reason: String) async -> Bool {
    do {
      let attempts = try await queue.recordFailure(entry.id, error: reason)
      metrics.failed.increment()
      guard attempts >= options.maxAttempts else { return false }
      try await queue.bury(entry, error: reason, attempts: attempts)
      metrics.dead.increment()
      logger.error(
        "fulfillment job moved to the dead jobs",
        metadata: ["fulfillment.job": "\(entry.id)", "error.message": "\(reason)", "attempts": "\(attempts)"])
      return true
    } catch {
      logger.warning(
        "fulfillment job failure not recorded",
        metadata: ["fulfillment.job": "\(entry.id)", "error.message": "\(error)"])
      return false
    }
  }

  /// One attempt: read the job, pack it, report it, acknowledge it.
  private func attempt(_ entry: RedisStreamEntry) async throws(PackFailure) -> PackOutcome {
    let job: FulfillmentJob
    do {
      job = try FulfillmentJob(fields: entry.fields)
    } catch {
      throw .permanent(error.description)
    }
    let outcome = try await report.packed(job.orderID, plan: PackingPlan(job, warehouses: options.warehouses))
    if options.holdBeforeAck > .zero { try? await Task.sleep(for: options.holdBeforeAck) }
    do {
      try await queue.acknowledge(entry.id)
    } catch {
      // Reported but not acknowledged: reporting again is harmless.
      throw .transient("the job could not be acknowledged: \(error)")
    }
    return outcome
  }
}
