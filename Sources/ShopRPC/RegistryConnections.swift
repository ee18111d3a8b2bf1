import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import ShopDiscovery

/// The connections of an upstream whose instances are found in the registry
/// (`etcd:///<role>`): follows the role with a watch, keeps one client per serving instance
/// and hands the current set to the ``Upstream``, which balances over them with a breaker
/// each. A client per instance (rather than one client balancing over every address) is what
/// makes a restarted instance come back: gRPC's own round-robin leaves an address whose
/// connection closed while idle unconnected for as long as another address is ready.
///
/// While etcd is away the last instances known stay in use; an instance that leaves the
/// registry gets no new calls and its client closes once its calls in flight are done.
public struct RegistryConnections<Client: Sendable>: Service {
  let upstream: Upstream<Client>
  let role: String
  let etcd: String
  let security: RPCSecurity
  let wrap: @Sendable (GRPCClient<HTTP2ClientTransport.Posix>) -> Client
  let logger: Logger

  public func run() async throws {
    let watch = RegistryWatch(role: role, etcd: etcd, logger: logger)
    let (updates, continuation) = AsyncStream.makeStream(
      of: [ServiceDirectory.Endpoint].self, bufferingPolicy: .bufferingNewest(1))
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask {
        await cancelWhenGracefulShutdown { await watch.run { continuation.yield($0) } }
        continuation.finish()
      }
      var clients: [ServiceDirectory.Endpoint: RPCClientService] = [:]
      for await endpoints in updates {
        for endpoint in endpoints where clients[endpoint] == nil {
          let service = try RPCClientService(
            target: .ipv4(host: endpoint.host, port: endpoint.port), security: security)
          clients[endpoint] = service
          group.addTask { try await service.client.runConnections() }
        }
        upstream.replaceInstances(
          endpoints.compactMap { endpoint in
            clients[endpoint].map { ("\(endpoint.host):\(endpoint.port)", wrap($0.client)) }
          })
        for (endpoint, service) in clients where !endpoints.contains(endpoint) {
          service.client.beginGracefulShutdown()
          clients[endpoint] = nil
        }
      }
      for service in clients.values { service.client.beginGracefulShutdown() }
    }
  }
}
