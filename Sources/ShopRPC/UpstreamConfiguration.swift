import Configuration
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import ShopConfiguration
import ShopDiscovery

/// Where a caller finds one upstream service and how long it waits for it, from the scope
/// named after the upstream (`user`, `product`, …):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `<name>.address` | the service's own | each instance's `host:port`, comma-separated; a DNS name (`host:port` or `dns:///host:port`) is resolved and balanced over; `etcd:///<role>` follows the registry (see `UpstreamTarget`) |
/// | `<name>.timeoutMs` | `2000` unless the caller says | deadline of each call |
public struct UpstreamConfiguration: Sendable, Equatable {
  public var targets: [UpstreamTarget]
  public var timeout: Duration

  public init(targets: [UpstreamTarget], timeout: Duration = .seconds(2)) {
    self.targets = targets
    self.timeout = timeout
  }

  public init(config: ConfigReader, name: String, defaultAddress: String, defaultTimeoutMs: Int = 2000) throws {
    let scope = config.scoped(to: ConfigKey(name))
    // A list reads as an array where the provider splits it (the environment splits at
    // commas), as one string where it does not.
    let listed = scope.stringArray(forKey: "address") ?? [scope.string(forKey: "address", default: defaultAddress)]
    let addresses = listed.flatMap { $0.split(separator: ",") }
      .map { $0.trimmingCharacters(in: CharacterSet.whitespaces) }.filter { !$0.isEmpty }
    guard !addresses.isEmpty else { throw ConfigurationError("\(name).address names no instance") }
    let milliseconds = scope.int(forKey: "timeoutMs", default: defaultTimeoutMs)
    guard milliseconds > 0 else { throw ConfigurationError("\(name).timeoutMs must be positive") }
    timeout = .milliseconds(milliseconds)
    let etcd = DiscoveryConfiguration(config: config)?.etcd
    targets = try addresses.map { try UpstreamTarget(parsing: $0, etcd: etcd) }
    if targets.count > 1, targets.contains(where: { if case .registry = $0 { true } else { false } }) {
      throw ConfigurationError("\(name).address: a registry address (etcd:///…) must be the only one")
    }
  }

  /// The upstream over one gRPC client per instance (per instance in the registry, for
  /// `etcd:///<role>`), and the services to run before it is called: the clients'
  /// connections, or the registry's watch.
  public func connect<Client: Sendable>(
    name: String, security: RPCSecurity, logger: Logger = Logger(label: "shop.discovery"),
    _ wrap: @escaping @Sendable (GRPCClient<HTTP2ClientTransport.Posix>) -> Client
  ) throws -> (upstream: Upstream<Client>, connections: [any Service]) {
    if case .registry(let role, let etcd) = targets.first {
      let upstream = Upstream<Client>(name: name, instances: [], timeout: timeout)
      return (
        upstream,
        [
          RegistryConnections(
            upstream: upstream, role: role, etcd: etcd, security: security, wrap: wrap, logger: logger)
        ]
      )
    }
    let connections = try targets.map { try RPCClientService(target: $0, security: security) }
    let upstream = Upstream(
      name: name, instances: zip(targets, connections).map { ($0.description, wrap($1.client)) }, timeout: timeout)
    return (upstream, connections)
  }
}
