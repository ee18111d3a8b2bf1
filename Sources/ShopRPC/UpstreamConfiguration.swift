import Configuration
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ShopConfiguration

/// Where a caller finds one upstream service and how long it waits for it, from the scope
/// named after the upstream (`user`, `product`, …):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `<name>.address` | the service's own | `host:port` of each instance, comma-separated; a DNS name is resolved and balanced over |
/// | `<name>.timeoutMs` | `2000` unless the caller says | deadline of each call |
public struct UpstreamConfiguration: Sendable, Equatable {
  public var addresses: [String]
  public var timeout: Duration

  public init(addresses: [String], timeout: Duration = .seconds(2)) {
    self.addresses = addresses
    self.timeout = timeout
  }

  public init(config: ConfigReader, name: String, defaultAddress: String, defaultTimeoutMs: Int = 2000) throws {
    let scope = config.scoped(to: ConfigKey(name))
    // A list reads as an array where the provider splits it (the environment splits at
    // commas), as one string where it does not.
    let listed = scope.stringArray(forKey: "address") ?? [scope.string(forKey: "address", default: defaultAddress)]
    addresses = listed.flatMap { $0.split(separator: ",") }
      .map { $0.trimmingCharacters(in: CharacterSet.whitespaces) }.filter { !$0.isEmpty }
    guard !addresses.isEmpty else { throw ConfigurationError("\(name).address names no instance") }
    let milliseconds = scope.int(forKey: "timeoutMs", default: defaultTimeoutMs)
    guard milliseconds > 0 else { throw ConfigurationError("\(name).timeoutMs must be positive") }
    timeout = .milliseconds(milliseconds)
  }

  /// The upstream over one gRPC client per instance, and those clients' connections as the
  /// services to run before it is called.
  public func connect<Client: Sendable>(
    name: String, security: RPCSecurity, _ wrap: (GRPCClient<HTTP2ClientTransport.Posix>) -> Client
  ) throws -> (upstream: Upstream<Client>, connections: [RPCClientService]) {
    let connections = try addresses.map { try RPCClientService(address: $0, security: security) }
    let upstream = Upstream(
      name: name, instances: zip(addresses, connections).map { ($0, wrap($1.client)) }, timeout: timeout)
    return (upstream, connections)
  }
}
