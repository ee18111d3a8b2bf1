import EtcdClient
import Foundation
import Testing

@testable import ShopDiscovery

@Suite struct ServiceDirectoryTests {
  static func record(_ instance: String, port: Int, serving: Bool = true) -> ServiceRecord {
    ServiceRecord(
      role: "product", instance: instance, address: "127.0.0.1", port: port, adminPort: port - 47_000,
      version: "1.0.0", startedAt: Date(timeIntervalSince1970: 1_800_000_000), serving: serving)
  }

  static func put(_ record: ServiceRecord) -> EtcdEvent {
    .put(EtcdKeyValue(key: record.key, value: record.encoded()))
  }

  @Test func theServingInstancesAreTheEndpointsInAStableOrder() {
    var directory = ServiceDirectory()
    directory.replace(
      with: EtcdSnapshot(
        revision: 7,
        keyValues: [Self.record("product-2", port: 50062), Self.record("product", port: 50052)].map {
          EtcdKeyValue(key: $0.key, value: $0.encoded())
        }))
    #expect(
      directory.endpoints == [.init(host: "127.0.0.1", port: 50052), .init(host: "127.0.0.1", port: 50062)])
  }

  @Test func putsAndDeletesChangeTheEndpoints() {
    var directory = ServiceDirectory()
    directory.apply(Self.put(Self.record("product", port: 50052)))
    directory.apply(Self.put(Self.record("product-2", port: 50062)))
    directory.apply(.delete(key: Self.record("product", port: 50052).key, revision: 9))
    #expect(directory.endpoints == [.init(host: "127.0.0.1", port: 50062)])
  }

  @Test func anInstanceThatIsNotServingIsListedButNotCalled() {
    var directory = ServiceDirectory()
    directory.apply(Self.put(Self.record("product", port: 50052)))
    directory.apply(Self.put(Self.record("product", port: 50052, serving: false)))
    #expect(directory.records.count == 1)
    #expect(directory.endpoints.isEmpty)
  }

  @Test func aValueThatIsNotARecordIsLeftOutAndReplacesWhatWasThere() {
    var directory = ServiceDirectory()
    let record = Self.record("product", port: 50052)
    directory.apply(Self.put(record))
    directory.apply(.put(EtcdKeyValue(key: record.key, value: Array("not json".utf8))))
    #expect(directory.records.isEmpty)
  }

  @Test func twoRecordsOfOneAddressAreOneEndpoint() {
    var directory = ServiceDirectory()
    directory.apply(Self.put(Self.record("old-name", port: 50052)))
    directory.apply(Self.put(Self.record("product", port: 50052)))
    #expect(directory.endpoints.count == 1)
  }

  @Test func aSnapshotReplacesEverythingBefore() {
    var directory = ServiceDirectory()
    directory.apply(Self.put(Self.record("gone", port: 50099)))
    let current = Self.record("product", port: 50052)
    directory.replace(
      with: EtcdSnapshot(revision: 3, keyValues: [EtcdKeyValue(key: current.key, value: current.encoded())]))
    #expect(directory.endpoints == [.init(host: "127.0.0.1", port: 50052)])
  }
}
