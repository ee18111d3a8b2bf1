import GRPCNIOTransportHTTP2
import ShopConfiguration

/// Where the instances of an upstream are found, from one entry of `<name>.address`:
///
/// - `10.0.0.5:50052`: that address;
/// - `product.internal:50052` or `dns:///product.internal:50052`: every address DNS gives
///   for the name (a Kubernetes headless service, say);
/// - `etcd:///product`: the serving instances of the role in the registry, followed by a
///   watch (needs `discovery.etcd`).
public enum UpstreamTarget: Sendable, Equatable, CustomStringConvertible {
  case ipv4(host: String, port: Int)
  case dns(host: String, port: Int)
  case registry(role: String, etcd: String)

  public init(parsing address: String, etcd: String?) throws {
    if address.hasPrefix("etcd:///") {
      let role = String(address.dropFirst("etcd:///".count))
      guard !role.isEmpty, !role.contains("/") else {
        throw ConfigurationError("address \(address) names no role")
      }
      guard let etcd else {
        throw ConfigurationError("address \(address) needs discovery.etcd, where the registry is")
      }
      self = .registry(role: role, etcd: etcd)
      return
    }
    let named = address.hasPrefix("dns:///")
    let (host, port) = try Self.split(named ? String(address.dropFirst("dns:///".count)) : address)
    let literal = host.split(separator: ".").count == 4 && host.allSatisfy({ $0.isNumber || $0 == "." })
    self = literal && !named ? .ipv4(host: host, port: port) : .dns(host: host, port: port)
  }

  public var description: String {
    switch self {
    case .ipv4(let host, let port): "\(host):\(port)"
    case .dns(let host, let port): "dns:///\(host):\(port)"
    case .registry(let role, _): "etcd:///\(role)"
    }
  }

  /// gRPC's target for one client: an address, or a name whose addresses it balances over.
  /// The registry has a client per instance instead (``RegistryConnections``).
  var resolvable: any ResolvableTarget {
    get throws {
      switch self {
      case .ipv4(let host, let port): return .ipv4(address: host, port: port)
      case .dns(let host, let port): return .dns(host: host, port: port)
      case .registry:
        throw ConfigurationError("\(self) is followed by RegistryConnections, a client per instance")
      }
    }
  }

  static func split(_ address: String) throws -> (String, Int) {
    guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
      (1...65535).contains(port), colon != address.startIndex
    else {
      throw ConfigurationError("address \(address) is not host:port")
    }
    return (String(address[..<colon]), port)
  }
}
