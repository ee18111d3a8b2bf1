import Foundation
import Testing

@testable import NotificationService

@Suite struct OutboundAddressPolicyTests {
  static let policy = OutboundAddressPolicy()

  @Test(arguments: [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::10.0.0.1", "[::1]",
  ])
  func privateLoopbackLinkLocalMulticastAndMetadataAddressesAreRefused(address: String) throws {
    let parsed = try #require(IPAddress(address))
    #expect(throws: OutboundAddressPolicy.Refusal.self) { try Self.policy.check([parsed], host: address) }
  }

  @Test(arguments: ["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
  func publicAddressesPass(address: String) throws {
    try Self.policy.check([try #require(IPAddress(address))], host: address)
  }

  @Test func theURLMustBeHTTPWithAHostAndNoCredentials() throws {
    #expect(try Self.policy.check(URL(string: "https://hooks.example.com/a")!) == "hooks.example.com")
    for (url, refusal) in [
      ("ftp://example.com/x", OutboundAddressPolicy.Refusal.scheme("ftp")),
      ("file:///etc/passwd", .scheme("file")),
      ("https://user:secret@example.com/", .credentialsInURL),
    ] {
      #expect(throws: refusal) { try Self.policy.check(URL(string: url)!) }
    }
    #expect(throws: OutboundAddressPolicy.Refusal.self) {
      try Self.policy.check(URL(string: "http://169.254.169.254/latest")!)
    }
    #expect(throws: OutboundAddressPolicy.Refusal.self) { try Self.policy.check(URL(string: "http://[::1]:8080/")!) }
  }

  @Test func oneForbiddenAddressAmongTheResolvedRefusesTheHost() throws {
    let addresses = try ["93.184.215.14", "10.0.0.5"].map { try #require(IPAddress($0)) }
    #expect(throws: OutboundAddressPolicy.Refusal.address("mixed.example", .v4([10, 0, 0, 5]))) {
      try Self.policy.check(addresses, host: "mixed.example")
    }
  }

  @Test func loopbackPassesOnlyWhereTheDeploymentAllowsItAndNothingElseDoes() throws {
    let local = OutboundAddressPolicy(allowsLoopback: true)
    for address in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
      try local.check([try #require(IPAddress(address))], host: "localhost")
    }
    #expect(throws: OutboundAddressPolicy.Refusal.self) {
      try local.check([try #require(IPAddress("10.0.0.1"))], host: "intranet")
    }
    #expect(throws: OutboundAddressPolicy.Refusal.self) {
      try local.check([try #require(IPAddress("169.254.169.254"))], host: "metadata")
    }
  }

  @Test func hostNamesAreNotAddresses() {
    #expect(IPAddress("example.com") == nil && IPAddress("1.2.3") == nil && IPAddress("") == nil)
    #expect(IPAddress("::ffff:1.2.3.4")?.description == "0:0:0:0:0:ffff:102:304")
  }
}
