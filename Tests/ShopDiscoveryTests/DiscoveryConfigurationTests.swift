import Configuration
import ShopConfiguration
import Testing

@testable import ShopDiscovery

@Suite struct DiscoveryConfigurationTests {
  static func reader(_ environment: [String: String]) -> ConfigReader {
    ShopConfig.reader(environment: environment)
  }

  @Test func withoutAnEtcdThereIsNoRegistry() {
    #expect(DiscoveryConfiguration(config: Self.reader([:])) == nil)
  }

  @Test func theRegistryAndItsDefaults() throws {
    let configuration = try #require(
      DiscoveryConfiguration(config: Self.reader(["SHOP_DISCOVERY_ETCD": "127.0.0.1:2379"])))
    #expect(configuration.etcd == "127.0.0.1:2379")
    #expect(configuration.ttl == .seconds(10))
    let record = configuration.record(role: "product", host: "127.0.0.1", port: 50052, adminPort: 3002)
    #expect(record.instance == "product-50052")
    #expect(record.address == "127.0.0.1" && record.port == 50052 && record.adminPort == 3002)
    #expect(record.version == "1.0.0")
  }

  @Test func theInstanceNameAddressAndLeaseAreConfigurable() throws {
    let configuration = try #require(
      DiscoveryConfiguration(
        config: Self.reader([
          "SHOP_DISCOVERY_ETCD": "etcd:2379", "SHOP_DISCOVERY_INSTANCE": "product-2",
          "SHOP_DISCOVERY_ADVERTISE_HOST": "10.1.2.3",
          "SHOP_DISCOVERY_TTL_SECONDS": "5", "SHOP_DISCOVERY_VERSION": "2.0.1",
        ])))
    let record = configuration.record(role: "product", host: "0.0.0.0", port: 50062, adminPort: 3012)
    #expect(record.instance == "product-2" && record.address == "10.1.2.3" && record.version == "2.0.1")
    #expect(configuration.ttl == .seconds(5))
  }

  @Test func aWildcardListenerIsAdvertisedOnLoopback() throws {
    let configuration = try #require(
      DiscoveryConfiguration(config: Self.reader(["SHOP_DISCOVERY_ETCD": "127.0.0.1:2379"])))
    #expect(configuration.record(role: "user", host: "0.0.0.0", port: 50051, adminPort: 3001).address == "127.0.0.1")
  }
}
