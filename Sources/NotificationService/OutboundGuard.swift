import Foundation

/// The SSRF guard as applied to a request about to be made: the URL checked, its host
/// resolved now (not once at registration, since what a name resolves to can change), every
/// address checked.
public struct OutboundGuard: Sendable {
  public enum Refusal: Error, CustomStringConvertible {
    case policy(OutboundAddressPolicy.Refusal)
    case unresolvable(String)

    public var description: String {
      switch self {
      case .policy(let refusal): refusal.description
      case .unresolvable(let reason): reason
      }
    }
  }

  public let policy: OutboundAddressPolicy
  let resolver: any HostResolver

  public init(policy: OutboundAddressPolicy, resolver: any HostResolver = SystemHostResolver()) {
    self.policy = policy
    self.resolver = resolver
  }

  /// The addresses `url` may be reached at, all allowed.
  public func admit(_ url: URL) async throws(Refusal) -> [IPAddress] {
    let host: String
    do {
      host = try policy.check(url)
    } catch {
      throw .policy(error)
    }
    let addresses: [IPAddress]
    do {
      addresses = try await resolver.addresses(of: host)
    } catch {
      throw .unresolvable("\(error)")
    }
    do {
      try policy.check(addresses, host: host)
    } catch {
      throw .policy(error)
    }
    return addresses
  }
}
