import ShopConfiguration
import Testing

@testable import ShopRPC

@Suite struct UpstreamTargetTests {
  @Test func addressesNameAnInstanceADNSNameOrARoleInTheRegistry() throws {
    #expect(try UpstreamTarget(parsing: "127.0.0.1:50051", etcd: nil) == .ipv4(host: "127.0.0.1", port: 50051))
    #expect(try UpstreamTarget(parsing: "user.shop.svc:50051", etcd: nil) == .dns(host: "user.shop.svc", port: 50051))
    #expect(
      try UpstreamTarget(parsing: "dns:///user.shop.svc:50051", etcd: nil) == .dns(host: "user.shop.svc", port: 50051))
    #expect(
      try UpstreamTarget(parsing: "etcd:///product", etcd: "127.0.0.1:2379")
        == .registry(role: "product", etcd: "127.0.0.1:2379"))
    #expect(try UpstreamTarget(parsing: "etcd:///product", etcd: "127.0.0.1:2379").description == "etcd:///product")
    #expect(try UpstreamTarget(parsing: "dns:///a.b:1", etcd: nil).description == "dns:///a.b:1")
  }

  @Test(arguments: ["no-port", "host:99999", ":50051", "etcd:///", "etcd:///a/b", "dns:///noport"])
  func malformedAddressesAreRefused(_ address: String) {
    #expect(throws: ConfigurationError.self) { try UpstreamTarget(parsing: address, etcd: "127.0.0.1:2379") }
  }

  @Test func aRegistryAddressNeedsTheRegistry() {
    #expect(throws: ConfigurationError.self) { try UpstreamTarget(parsing: "etcd:///product", etcd: nil) }
  }
}
