#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns a host name into the addresses a connection to it could reach.
public protocol HostResolver: Sendable {
  func addresses(of host: String) async throws -> [IPAddress]
}

/// The system's resolver (`getaddrinfo`: /etc/hosts, then DNS), run off the caller's thread
/// since it blocks.
public struct SystemHostResolver: HostResolver {
  public struct Failure: Error, CustomStringConvertible {
    public let host: String
    public let reason: String
    public var description: String { "\(host) does not resolve: \(reason)" }
  }

  public init() {}

  public func addresses(of host: String) async throws -> [IPAddress] {
    if let literal = IPAddress(host) { return [literal] }
    return try await Task.detached { try Self.resolve(host) }.value
  }

  static func resolve(_ host: String) throws -> [IPAddress] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, nil, &hints, &list)
    guard status == 0, let first = list else {
      throw Failure(host: host, reason: String(cString: gai_strerror(status)))
    }
    defer { freeaddrinfo(first) }
    var found: [IPAddress] = []
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let current = entry {
      if let address = current.pointee.ai_addr {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
          address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            var raw = $0.pointee.sin_addr
            found.append(.v4(withUnsafeBytes(of: &raw) { Array($0) }))
          }
        case AF_INET6:
          address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
            var raw = $0.pointee.sin6_addr
            found.append(.v6(withUnsafeBytes(of: &raw) { Array($0) }))
          }
        default: break
        }
      }
      entry = current.pointee.ai_next
    }
    guard !found.isEmpty else { throw Failure(host: host, reason: "no addresses") }
    return Array(Set(found))
  }
}
