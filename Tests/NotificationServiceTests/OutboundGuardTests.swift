import Foundation
import Testing

@testable import NotificationService

@Suite struct OutboundGuardTests {
  struct FixedResolver: HostResolver {
    let answers: [String: [IPAddress]]
    func addresses(of host: String) async throws -> [IPAddress] {
      guard let found = answers[host] else { throw SystemHostResolver.Failure(host: host, reason: "unknown") }
      return found
    }
  }

  static let resolver = FixedResolver(answers: [
    "public.example": [IPAddress("93.184.215.14")!],
    "sneaky.example": [IPAddress("93.184.215.14")!, IPAddress("10.0.0.7")!],
    "metadata.example": [IPAddress("169.254.169.254")!], "loopback.example": [IPAddress("127.0.0.1")!],
  ])

  @Test func aNameIsResolvedAndEveryAddressChecked() async throws {
    let outbound = OutboundGuard(policy: OutboundAddressPolicy(), resolver: Self.resolver)
    #expect(try await outbound.admit(URL(string: "https://public.example/hook")!) == [IPAddress("93.184.215.14")!])
    for host in ["sneaky.example", "metadata.example", "loopback.example", "nowhere.example"] {
      await #expect(throws: OutboundGuard.Refusal.self) { try await outbound.admit(URL(string: "http://\(host)/")!) }
    }
    await #expect(throws: OutboundGuard.Refusal.self) {
      try await outbound.admit(URL(string: "ftp://public.example/")!)
    }
  }

  @Test func loopbackPassesOnlyWhenTheDeploymentAllowsIt() async throws {
    let strict = OutboundGuard(policy: OutboundAddressPolicy(), resolver: Self.resolver)
    let local = OutboundGuard(policy: OutboundAddressPolicy(allowsLoopback: true), resolver: Self.resolver)
    let url = URL(string: "http://loopback.example:8080/")!
    await #expect(throws: OutboundGuard.Refusal.self) { try await strict.admit(url) }
    #expect(try await local.admit(url) == [IPAddress("127.0.0.1")!])
  }

  @Test func theSystemResolverReadsLocalhost() async throws {
    let addresses = try await SystemHostResolver().addresses(of: "localhost")
    #expect(!addresses.isEmpty && addresses.allSatisfy { OutboundAddressPolicy.isLoopback($0) })
    #expect(try await SystemHostResolver().addresses(of: "10.1.2.3") == [IPAddress("10.1.2.3")!])
  }
}
