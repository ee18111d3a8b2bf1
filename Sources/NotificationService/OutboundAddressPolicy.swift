import Foundation

/// Where webhooks and pushes may be sent (the SSRF guard of API.md): `http` and `https` URLs
/// whose host resolves only to public addresses. Private, loopback, link-local (the cloud
/// metadata service at 169.254.169.254 among them), multicast, shared, reserved and
/// unspecified addresses are refused, in IPv4 and IPv6 and as IPv6 forms of IPv4 addresses.
/// A deployment may allow loopback, as the local stack does for its own tests.
public struct OutboundAddressPolicy: Sendable, Hashable {
  public enum Refusal: Error, Hashable, CustomStringConvertible {
    case scheme(String)
    case noHost
    case credentialsInURL
    case address(String, IPAddress)

    public var description: String {
      switch self {
      case .scheme(let scheme): "only http and https URLs are allowed, not \(scheme)"
      case .noHost: "the URL has no host"
      case .credentialsInURL: "the URL must not carry credentials"
      case .address(let host, let address): "\(host) is \(address), which is not a public address"
      }
    }
  }

  public var allowsLoopback: Bool

  public init(allowsLoopback: Bool = false) {
    self.allowsLoopback = allowsLoopback
  }

  /// Checks what can be checked without resolving: the scheme, a host, no credentials, and
  /// the host itself when it is an address. Returns the host to resolve.
  public func check(_ url: URL) throws(Refusal) -> String {
    let scheme = url.scheme?.lowercased() ?? ""
    guard scheme == "http" || scheme == "https" else { throw .scheme(scheme) }
    guard let host = url.host, !host.isEmpty else { throw .noHost }
    guard url.user == nil, url.password == nil else { throw .credentialsInURL }
    if let address = IPAddress(host) { try check(address, host: host) }
    return host
  }

  /// Checks every address a host resolved to: one forbidden address refuses the host, since
  /// the connection could go to any of them.
  public func check(_ addresses: [IPAddress], host: String) throws(Refusal) {
    for address in addresses { try check(address, host: host) }
  }

  private func check(_ address: IPAddress, host: String) throws(Refusal) {
    if allowsLoopback && Self.isLoopback(address) { return }
    guard Self.isPublic(address) else { throw .address(host, address) }
  }

  static func isLoopback(_ address: IPAddress) -> Bool {
    switch address {
    case .v4(let bytes): bytes[0] == 127
    case .v6(let bytes): bytes == Array(repeating: 0, count: 15) + [1] || address.embeddedIPv4?.first == 127
    }
  }

  /// Whether an address is one the public internet routes to a host.
  static func isPublic(_ address: IPAddress) -> Bool {
    if let v4 = address.embeddedIPv4 { return isPublic(.v4(v4)) }
    switch address {
    case .v4(let b):
      let refused =
        b[0] == 0  // "this network"
        || b[0] == 10 || b[0] == 127  // private, loopback
        || (b[0] == 100 && b[1] & 0xC0 == 64)  // shared address space (CGNAT)
        || (b[0] == 169 && b[1] == 254)  // link-local, the metadata service
        || (b[0] == 172 && b[1] & 0xF0 == 16) || (b[0] == 192 && b[1] == 168)  // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // IETF protocol assignments
        || (b[0] == 198 && b[1] & 0xFE == 18)  // benchmarking
        || b[0] >= 224  // multicast, reserved, broadcast
      return !refused
    case .v6(let b):
      let refused =
        b.allSatisfy { $0 == 0 }  // unspecified
        || b == Array(repeating: 0, count: 15) + [1]  // loopback
        || b[0] & 0xFE == 0xFC  // unique local (the AWS metadata fd00:ec2::254 among them)
        || (b[0] == 0xFE && b[1] & 0xC0 == 0x80)  // link-local
        || b[0] == 0xFF  // multicast
        || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)  // documentation
      return !refused
    }
  }
}
