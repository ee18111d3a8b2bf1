import Configuration
import Foundation
import Logging

/// Service discovery, from the `discovery` scope (README, Configuration):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `discovery.etcd` | none: no registry | `host:port` of etcd; when set, the instance registers itself and `etcd:///<role>` upstream addresses resolve through it |
/// | `discovery.instance` | `<role>-<port>` | the instance's name in the registry |
/// | `discovery.advertiseHost` | the listener's host | the address callers dial (an IP address) |
/// | `discovery.ttlSeconds` | `10` | the lease: how long a dead instance stays listed |
/// | `discovery.version` | `1.0.0` | the version the instance reports |
public struct DiscoveryConfiguration: Sendable, Equatable {
  public var etcd: String
  public var instance: String?
  public var advertiseHost: String?
  public var ttl: Duration
  public var version: String

  public init(etcd: String, instance: String? = nil, advertiseHost: String? = nil, ttl: Duration = .seconds(10)) {
    self.etcd = etcd
    self.instance = instance
    self.advertiseHost = advertiseHost
    self.ttl = ttl
    self.version = "1.0.0"
  }

  /// The configuration, or nil when no registry is configured.
  public init?(config: ConfigReader) {
    guard let etcd = config.string(forKey: "discovery.etcd"), !etcd.isEmpty else { return nil }
    self.etcd = etcd
    instance = config.string(forKey: "discovery.instance")
    advertiseHost = config.string(forKey: "discovery.advertiseHost")
    ttl = .seconds(max(2, config.int(forKey: "discovery.ttlSeconds", default: 10)))
    version = config.string(forKey: "discovery.version", default: "1.0.0")
  }

  /// The record of an instance of `role` listening on `host:port`, starting now.
  public func record(role: String, host: String, port: Int, adminPort: Int, serving: Bool = false) -> ServiceRecord {
    // A wildcard listener is reached on loopback here; elsewhere advertiseHost names it.
    let wildcard = host == "0.0.0.0" || host == "::"
    return ServiceRecord(
      role: role, instance: instance ?? "\(role)-\(port)", address: advertiseHost ?? (wildcard ? "127.0.0.1" : host),
      port: port, adminPort: adminPort, version: version, startedAt: Date(), serving: serving)
  }

  /// The registration of an instance of `role` listening on `host:port`; without
  /// `readiness`, one that takes no calls of its own and so is always ready (a gateway, a
  /// worker).
  public func registration(
    role: String, host: String, port: Int, adminPort: Int, logger: Logger,
    readiness: @escaping @Sendable () async -> Bool = { true }
  ) -> ServiceRegistration {
    ServiceRegistration(
      record: record(role: role, host: host, port: port, adminPort: adminPort), configuration: self, logger: logger,
      readiness: readiness)
  }
}
