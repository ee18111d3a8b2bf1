import EtcdClient
import Logging
import ServiceLifecycle
import ShopAdmin
import Synchronization

/// Keeps one instance registered while it runs: its ``ServiceRecord`` under a lease of
/// ``DiscoveryConfiguration/ttl``, kept alive at a third of it, so that an instance that
/// dies leaves the registry within the TTL. The record follows readiness (checked every
/// `readinessInterval`): an instance that is not ready stays listed but not serving, so
/// callers send it no new calls. When etcd goes away the instance registers again as soon
/// as it is back; on graceful shutdown it revokes its lease, which removes it at once.
public final class ServiceRegistration: Service, Sendable {
  public let record: ServiceRecord
  let configuration: DiscoveryConfiguration
  let readinessInterval: Duration
  let readiness: @Sendable () async -> Bool
  let logger: Logger
  private let lease = Mutex<Int64?>(nil)

  /// - Parameter readiness: whether the instance can take calls now.
  public init(
    record: ServiceRecord, configuration: DiscoveryConfiguration, readinessInterval: Duration = .seconds(2),
    logger: Logger, readiness: @escaping @Sendable () async -> Bool
  ) {
    self.record = record
    self.configuration = configuration
    self.readinessInterval = readinessInterval
    self.readiness = readiness
    self.logger = logger
  }

  /// Whether the record is in the registry under a live lease, as far as this instance knows.
  public var isRegistered: Bool { lease.withLock { $0 != nil } }

  /// `etcd` in `/health`: without the registry the instance still serves the callers that
  /// know it, so it degrades.
  public var healthCheck: HealthCheck {
    HealthCheck(name: "etcd", impact: .degrading) {
      guard self.isRegistered else { throw NotRegistered(etcd: self.configuration.etcd) }
    }
  }

  struct NotRegistered: Error, CustomStringConvertible {
    let etcd: String
    var description: String { "not registered in etcd at \(etcd)" }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown { await self.keepRegistered() }
    await deregister()
  }

  private func keepRegistered() async {
    var delay = Duration.milliseconds(200)
    while !Task.isCancelled {
      do {
        try await EtcdClient.withClient(endpoint: configuration.etcd) { client in
          try await self.register(with: client)
        }
      } catch {
        // Stopping: the lease is kept for ``deregister()`` to revoke.
        if Task.isCancelled { return }
        let wasRegistered = lease.withLock { lease in
          defer { lease = nil }; return lease != nil
        }
        if wasRegistered { delay = .milliseconds(200) }
        logger.warning(
          "not registered; trying again",
          metadata: ["error.message": "\(error)", "service.instance": "\(record.instance)"])
        try? await Task.sleep(for: delay * Double.random(in: 0.5...1))
        delay = min(delay * 2, .seconds(3))
      }
    }
  }

  /// Registers through `client` and keeps the registration until it breaks (always by an error).
  private func register(with client: EtcdClient) async throws {
    let id = try await client.grantLease(ttl: configuration.ttl)
    let initial = await readiness()
    try await client.put(record.key, value: record.serving(initial).encoded(), lease: id)
    lease.withLock { $0 = id }
    logger.info(
      "registered",
      metadata: ["service.instance": "\(record.instance)", "lease": "\(id)", "serving": "\(initial)"])
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await client.keepAlive(id, every: self.configuration.ttl / 3) }
      group.addTask {
        var serving = initial
        while true {
          try await Task.sleep(for: self.readinessInterval)
          let now = await self.readiness()
          guard now != serving else { continue }
          try await client.put(self.record.key, value: self.record.serving(now).encoded(), lease: id)
          serving = now
          self.logger.notice(
            now ? "ready again: serving" : "not ready: not serving",
            metadata: ["service.instance": "\(self.record.instance)"])
        }
      }
      try await group.next()
      group.cancelAll()
    }
  }

  /// Leaves the registry at once: revoking the lease deletes the record.
  private func deregister() async {
    guard
      let id = lease.withLock({ lease in
        defer { lease = nil }; return lease
      })
    else { return }
    do {
      try await EtcdClient.withClient(endpoint: configuration.etcd) { try await $0.revokeLease(id) }
      logger.info("deregistered", metadata: ["service.instance": "\(record.instance)"])
    } catch {
      logger.warning(
        "could not deregister; the lease expires by itself",
        metadata: ["service.instance": "\(record.instance)", "error.message": "\(error)"])
    }
  }
}

extension ServiceRecord {
  func serving(_ serving: Bool) -> ServiceRecord {
    var record = self
    record.serving = serving
    return record
  }
}
