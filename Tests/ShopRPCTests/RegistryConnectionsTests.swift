import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import ShopDiscovery
import ShopTestSupport
import Testing

@testable import ShopRPC

/// An upstream named `etcd:///<role>` against the stack's etcd and two echo servers
/// registered under a role of the test's own.
@Suite(.enabled(if: Infra.etcd), .timeLimit(.minutes(2)), .serialized)
struct RegistryConnectionsTests {
  typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

  let role = "test-\(UUID().uuidString.prefix(8).lowercased())"

  /// A server's registration, in a group of its own that the test stops.
  struct Registered: Sendable {
    let group: ServiceGroup
    let run: Task<Void, any Error>

    init(_ registration: ServiceRegistration) {
      group = ServiceGroup(services: [registration], logger: Logger(label: "test"))
      let group = self.group
      run = Task { try await group.run() }
    }

    func stop() async throws {
      await group.triggerGracefulShutdown()
      try await run.value
    }
  }

  func register(instance: String, port: Int) -> Registered {
    let configuration = DiscoveryConfiguration(etcd: Infra.etcdEndpoint, instance: instance, ttl: .seconds(3))
    return Registered(
      ServiceRegistration(
        record: configuration.record(role: role, host: "127.0.0.1", port: port, adminPort: 1),
        configuration: configuration, logger: Logger(label: "test")
      ) { true })
  }

  /// The servers that 20 idempotent calls reached.
  static func reached(_ upstream: Upstream<Client>) async -> Set<String> {
    var names = Set<String>()
    for _ in 0..<20 {
      if let name = try? await upstream.idempotent({ client, _ in try await EchoServer.call(client) }) {
        names.insert(name)
      }
    }
    return names
  }

  func withUpstream(_ body: @Sendable (Upstream<Client>) async throws -> Void) async throws {
    let connected = try UpstreamConfiguration(targets: [.registry(role: role, etcd: Infra.etcdEndpoint)])
      .connect(name: "echo", security: RPCSecurity(mode: .plaintext)) { $0 }
    let group = ServiceGroup(services: connected.connections, logger: Logger(label: "test"))
    let run = Task { try await group.run() }
    do {
      try await body(connected.upstream)
    } catch {
      await group.triggerGracefulShutdown()
      try? await run.value
      throw error
    }
    await group.triggerGracefulShutdown()
    try await run.value
  }

  @Test func callsGoRoundRobinOverTheRegisteredInstancesAndLeaveOneThatDeregisters() async throws {
    try await ServerLock.etcd.steady {
      let a = EchoServer(name: "a")
      let b = EchoServer(name: "b")
      try await withThrowingTaskGroup(of: Void.self) { servers in
        servers.addTask { try await a.server.serve() }
        servers.addTask { try await b.server.serve() }
        try await withUpstream { upstream in
          #expect(await Self.reached(upstream).isEmpty, "nothing is registered yet")
          let registeredA = register(instance: "a", port: try await a.port)
          let registeredB = register(instance: "b", port: try await b.port)
          try await waitUntil { await Self.reached(upstream) == ["a", "b"] }
          #expect(
            Set(upstream.instances.map(\.address)) == [
              "127.0.0.1:\(try await a.port)", "127.0.0.1:\(try await b.port)",
            ])
          try await registeredA.stop()
          try await waitUntil { await Self.reached(upstream) == ["b"] }
          try await registeredB.stop()
          try await waitUntil { upstream.instances.isEmpty }
          await #expect(throws: RPCError.self) {
            try await upstream.idempotent { client, _ in try await EchoServer.call(client) }
          }
        }
        a.server.beginGracefulShutdown()
        b.server.beginGracefulShutdown()
        try await servers.waitForAll()
      }
    }
  }

  @Test func anInstanceThatDiedAndCameBackOnItsAddressIsCalledAgain() async throws {
    try await ServerLock.etcd.steady {
      let a = EchoServer(name: "a")
      let b = EchoServer(name: "b")
      try await withThrowingTaskGroup(of: Void.self) { servers in
        servers.addTask { try await a.server.serve() }
        servers.addTask { try await b.server.serve() }
        let portA = try await a.port
        try await withUpstream { upstream in
          let registeredA = register(instance: "a", port: portA)
          let registeredB = register(instance: "b", port: try await b.port)
          // Calls made before both are known fail for want of an instance and spend the
          // upstream's retry budget, which the calls below need while a's breaker opens.
          try await waitUntil { upstream.instances.count == 2 }
          try await waitUntil { await Self.reached(upstream) == ["a", "b"] }

          // a dies: its server goes, its registration is neither revoked nor kept alive.
          registeredA.run.cancel()
          a.server.beginGracefulShutdown()
          // Idempotent calls meanwhile go to b, none fails.
          for _ in 0..<20 {
            #expect(try await upstream.idempotent { client, _ in try await EchoServer.call(client) } == "b")
          }
          // a comes back on the same address and registers again.
          let again = EchoServer(name: "a-again", port: portA)
          let serving = Task { try await again.server.serve() }
          let registeredAgain = register(instance: "a", port: portA)
          try await waitUntil { await Self.reached(upstream) == ["a-again", "b"] }
          try await registeredAgain.stop()
          try await registeredB.stop()
          again.server.beginGracefulShutdown()
          try await serving.value
        }
        b.server.beginGracefulShutdown()
        try await servers.waitForAll()
      }
    }
  }
}
