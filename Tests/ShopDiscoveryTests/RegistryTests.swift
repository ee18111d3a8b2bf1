import EtcdClient
import Foundation
import Logging
import ServiceLifecycle
import ShopAdmin
import ShopTestSupport
import Synchronization
import Testing

@testable import ShopDiscovery

/// Registration and the registry's watch against the stack's etcd, each test under a role
/// of its own.
@Suite(.enabled(if: Infra.etcd), .timeLimit(.minutes(2)), .serialized)
struct RegistryTests {
  let role = "test-\(UUID().uuidString.prefix(8).lowercased())"
  let configuration = DiscoveryConfiguration(etcd: Infra.etcdEndpoint, ttl: .seconds(3))

  final class Readiness: Sendable {
    let ready = Atomic<Bool>(true)
    var value: Bool { ready.load(ordering: .relaxed) }
    func set(_ value: Bool) { ready.store(value, ordering: .relaxed) }
  }

  /// A registration running in a group of its own that the test stops.
  struct Registered: Sendable {
    let registration: ServiceRegistration
    let group: ServiceGroup
    let readiness: Readiness
    let run: Task<Void, any Error>

    func stop() async throws {
      await group.triggerGracefulShutdown()
      try await run.value
    }
  }

  func register(_ instance: String, port: Int, etcd: String? = nil) -> Registered {
    var configuration = self.configuration
    configuration.instance = instance
    if let etcd { configuration.etcd = etcd }
    let readiness = Readiness()
    let registration = ServiceRegistration(
      record: configuration.record(role: role, host: "127.0.0.1", port: port, adminPort: port + 1),
      configuration: configuration, readinessInterval: .milliseconds(100), logger: Logger(label: "test")
    ) { readiness.value }
    let group = ServiceGroup(services: [registration], logger: Logger(label: "test"))
    return Registered(
      registration: registration, group: group, readiness: readiness, run: Task { try await group.run() })
  }

  /// What a watch of the role has published so far.
  final class Watched: Sendable {
    let published = Mutex<[[ServiceDirectory.Endpoint]]>([])
    var latest: [Int]? { published.withLock { $0.last?.map(\.port) } }
  }

  func watching<T: Sendable>(_ body: @Sendable (Watched) async throws -> T) async throws -> T {
    let watched = Watched()
    let watch = RegistryWatch(role: role, etcd: Infra.etcdEndpoint, logger: Logger(label: "test"))
    let task = Task { await watch.run { endpoints in watched.published.withLock { $0.append(endpoints) } } }
    defer { task.cancel() }
    return try await body(watched)
  }

  func records() async throws -> [ServiceRecord] {
    try await RegisteredInstances.list(etcd: Infra.etcdEndpoint, role: role)
  }

  @Test func instancesAreRegisteredFollowReadinessAndLeaveAtOnceWhenStopped() async throws {
    try await ServerLock.etcd.steady {
      try await watching { watched in
        let a = register("a", port: 41_001)
        let b = register("b", port: 41_002)
        try await waitUntil { a.registration.isRegistered && b.registration.isRegistered }
        try await a.registration.healthCheck.probe()
        let listed = try await records()
        #expect(listed.map(\.instance) == ["a", "b"])
        #expect(listed.map(\.port) == [41_001, 41_002] && listed.allSatisfy(\.serving))
        try await waitUntil { watched.latest == [41_001, 41_002] }

        // Not ready: still listed, not serving, not an endpoint.
        a.readiness.set(false)
        try await waitUntil { watched.latest == [41_002] }
        #expect(try await records().map(\.serving) == [false, true])
        a.readiness.set(true)
        try await waitUntil { watched.latest == [41_001, 41_002] }

        // A graceful stop leaves the registry at once.
        try await a.stop()
        #expect(try await records().map(\.instance) == ["b"])
        try await waitUntil { watched.latest == [41_002] }
        try await b.stop()
        #expect(try await records().isEmpty)
      }
    }
  }

  @Test func anInstanceThatStopsKeepingItsLeaseAliveLeavesWithinTheTTL() async throws {
    try await ServerLock.etcd.steady {
      let a = register("a", port: 41_003)
      try await waitUntil { a.registration.isRegistered }
      // A dead instance: nothing keeps its lease alive and nothing revokes it.
      a.run.cancel()
      let clock = ContinuousClock()
      let start = clock.now
      try await waitUntil { try await records().isEmpty }
      #expect(clock.now - start < configuration.ttl + .seconds(2))
    }
  }

  @Test func withoutEtcdAnInstanceIsNotRegisteredAndSaysSo() async throws {
    let a = register("a", port: 41_004, etcd: "127.0.0.1:\(try freeLoopbackPort())")
    try await Task.sleep(for: .milliseconds(500))
    #expect(!a.registration.isRegistered)
    await #expect(throws: (any Error).self) { try await a.registration.healthCheck.probe() }
    try await a.stop()
  }

  @Test func whenEtcdRestartsInstancesRegisterAgainAndWatchersKeepTheirEndpoints() async throws {
    try await ServerLock.etcd.disruptive {
      try await watching { watched in
        let a = register("a", port: 41_005)
        let b = register("b", port: 41_006)
        try await waitUntil { watched.latest == [41_005, 41_006] }
        let before = watched.published.withLock { $0.count }

        try await Infra.script("ctl", "stop", "etcd")
        do {
          try await waitUntil { !a.registration.isRegistered && !b.registration.isRegistered }
          await #expect(throws: (any Error).self) { try await a.registration.healthCheck.probe() }
          // Nothing new is published while etcd is away: the last endpoints stay.
          #expect(watched.published.withLock { $0.count } == before)
        } catch {
          try await Infra.script("ctl", "start", "etcd")
          throw error
        }
        try await Infra.script("ctl", "start", "etcd")

        try await waitUntil { a.registration.isRegistered && b.registration.isRegistered }
        try await a.registration.healthCheck.probe()
        #expect(try await records().map(\.instance) == ["a", "b"])
        // The watch is back too: a change after the restart is published.
        try await a.stop()
        try await waitUntil { watched.latest == [41_006] }
        try await b.stop()
      }
    }
  }

  @Test func theScrapeTargetFileFollowsTheRegistry() async throws {
    try await ServerLock.etcd.steady {
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("targets-\(role).json").path
      defer { try? FileManager.default.removeItem(atPath: path) }
      let file = ScrapeTargetFile(path: path, etcd: Infra.etcdEndpoint, logger: Logger(label: "test"))
      let group = ServiceGroup(services: [file], logger: Logger(label: "test"))
      let following = Task { try await group.run() }
      defer { following.cancel() }
      @Sendable func listed() -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path),
          let groups = try? JSONDecoder().decode([ScrapeTargets.Group].self, from: data)
        else { return [:] }
        return Dictionary(
          groups.filter { $0.labels["service"] == role }.map { ($0.targets[0], $0.labels["program"] ?? "") },
          uniquingKeysWith: { first, _ in first })
      }

      let a = register("a", port: 41_007)
      let b = register("b", port: 41_009)
      try await waitUntil { listed() == ["127.0.0.1:41008": "a", "127.0.0.1:41010": "b"] }
      try await a.stop()
      try await waitUntil { listed() == ["127.0.0.1:41010": "b"] }
      try await b.stop()
      try await waitUntil { listed().isEmpty }
      await group.triggerGracefulShutdown()
      try await following.value
    }
  }
}
