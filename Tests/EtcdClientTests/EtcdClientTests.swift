import Foundation
import ShopTestSupport
import Synchronization
import Testing

@testable import EtcdClient

/// Against the stack's etcd, each test under a prefix of its own.
@Suite(.enabled(if: Infra.etcd), .timeLimit(.minutes(1)))
struct EtcdClientTests {
  let prefix = "/swiftshop-test/\(UUID().uuidString.prefix(8))/"

  func withClient<T: Sendable>(_ body: @Sendable (EtcdClient) async throws -> T) async throws -> T {
    try await ServerLock.etcd.steady {
      try await EtcdClient.withClient(endpoint: Infra.etcdEndpoint, body)
    }
  }

  @Test func keysArePutReadByPrefixAndDeleted() async throws {
    let prefix = self.prefix
    try await withClient { etcd in
      let first = try await etcd.put(prefix + "b", value: Array("2".utf8))
      let second = try await etcd.put(prefix + "a", value: Array("1".utf8))
      #expect(second > first)
      try await etcd.put(String(prefix.dropLast()) + "-not-under-it", value: [1])
      let snapshot = try await etcd.get(prefix: prefix)
      #expect(snapshot.keyValues.map(\.key) == [prefix + "a", prefix + "b"])
      #expect(snapshot.keyValues.map(\.value) == [Array("1".utf8), Array("2".utf8)])
      #expect(snapshot.revision >= second)
      #expect(try await etcd.delete(prefix + "a") == 1)
      #expect(try await etcd.delete(prefix + "a") == 0)
      #expect(try await etcd.get(prefix: prefix).keyValues.map(\.key) == [prefix + "b"])
      try await etcd.delete(prefix + "b")
      try await etcd.delete(String(prefix.dropLast()) + "-not-under-it")
    }
  }

  @Test func aKeyOnALeaseLivesWhileTheLeaseIsKeptAliveAndGoesWithIt() async throws {
    let key = prefix + "leased"
    try await withClient { etcd in
      let lease = try await etcd.grantLease(ttl: .seconds(2))
      try await etcd.put(key, value: [1], lease: lease)
      #expect(try await etcd.get(prefix: key).keyValues.first?.lease == lease)
      // Kept alive for twice its TTL: still there.
      let keeper = Task { try await etcd.keepAlive(lease, every: .milliseconds(500)) }
      try await Task.sleep(for: .seconds(4))
      #expect(try await etcd.get(prefix: key).keyValues.count == 1)
      // Left alone, it expires within its TTL (etcd checks leases every 500 ms).
      keeper.cancel()
      try await waitUntil { try await etcd.get(prefix: key).keyValues.isEmpty }
    }
  }

  @Test func revokingALeaseDeletesItsKeysAtOnceAndEndsItsKeepAlive() async throws {
    let key = prefix + "revoked"
    try await withClient { etcd in
      let lease = try await etcd.grantLease(ttl: .seconds(30))
      try await etcd.put(key, value: [1], lease: lease)
      try await etcd.revokeLease(lease)
      #expect(try await etcd.get(prefix: key).keyValues.isEmpty)
      await #expect(throws: EtcdError.leaseExpired(lease)) {
        try await etcd.keepAlive(lease, every: .milliseconds(200))
      }
    }
  }

  @Test func aWatchReportsEveryChangeUnderThePrefixInOrder() async throws {
    let prefix = self.prefix
    try await withClient { etcd in
      let start = try await etcd.get(prefix: prefix).revision + 1
      let seen = Mutex<[EtcdEvent]>([])
      let watching = Task {
        try await etcd.watch(prefix: prefix, fromRevision: start) { events in seen.withLock { $0 += events } }
      }
      let put = try await etcd.put(prefix + "x", value: Array("one".utf8))
      try await etcd.put(String(prefix.dropLast()) + "-elsewhere", value: [0])
      try await etcd.put(prefix + "x", value: Array("two".utf8))
      try await etcd.delete(prefix + "x")
      try await waitUntil { seen.withLock { $0.count } >= 3 }
      watching.cancel()
      let events = seen.withLock { $0 }
      #expect(events.count == 3)
      guard events.count == 3 else { return }
      #expect(events[0] == .put(EtcdKeyValue(key: prefix + "x", value: Array("one".utf8), modRevision: put)))
      if case .put(let second) = events[1] { #expect(second.value == Array("two".utf8)) } else { Issue.record() }
      if case .delete(let key, _) = events[2] { #expect(key == prefix + "x") } else { Issue.record() }
      try await etcd.delete(String(prefix.dropLast()) + "-elsewhere")
    }
  }

  @Test func aWatchFromTheStartOfAPrefixSeesWhatHappenedSinceTheRevisionGiven() async throws {
    let prefix = self.prefix
    try await withClient { etcd in
      let before = try await etcd.put(prefix + "early", value: [1])
      let seen = Mutex<[EtcdEvent]>([])
      let watching = Task {
        try await etcd.watch(prefix: prefix, fromRevision: before) { events in seen.withLock { $0 += events } }
      }
      try await waitUntil { !seen.withLock { $0 }.isEmpty }
      watching.cancel()
      #expect(seen.withLock { $0 }.first == .put(EtcdKeyValue(key: prefix + "early", value: [1], modRevision: before)))
      try await etcd.delete(prefix + "early")
    }
  }

  @Test func anUnreachableEtcdFailsACallAtOnce() async throws {
    let port = try freeLoopbackPort()
    let clock = ContinuousClock()
    let start = clock.now
    await #expect(throws: (any Error).self) {
      try await EtcdClient.withClient(endpoint: "127.0.0.1:\(port)") { try await $0.get(prefix: "/") }
    }
    #expect(clock.now - start < .seconds(3))
  }

  @Test func anEndpointThatIsNotHostAndPortIsRefused() {
    #expect(throws: (any Error).self) { try EtcdClient(endpoint: "localhost") }
  }
}
