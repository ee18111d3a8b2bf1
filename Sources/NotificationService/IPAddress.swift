#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes, for deciding where outbound requests may go.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
  case v4([UInt8])
  case v6([UInt8])

  /// Parses dotted IPv4 or textual IPv6 (with or without brackets); `nil` for anything else,
  /// host names included.
  public init?(_ text: String) {
    let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
    var v4 = in_addr()
    if inet_pton(AF_INET, bare, &v4) == 1 {
      self = .v4(withUnsafeBytes(of: &v4) { Array($0) })
      return
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, bare, &v6) == 1 {
      self = .v6(withUnsafeBytes(of: &v6) { Array($0) })
      return
    }
    return nil
  }

  /// The IPv4 address an IPv6 one carries: IPv4-mapped (`::ffff:a.b.c.d`) or NAT64
  /// (`64:ff9b::a.b.c.d`), which reach IPv4 hosts all the same.
  var embeddedIPv4: [UInt8]? {
    guard case .v6(let bytes) = self else { return nil }
    if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
      return Array(bytes.suffix(4))
    }
    if bytes.prefix(12) == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return Array(bytes.suffix(4)) }
    return nil
  }

  public var description: String {
    switch self {
    case .v4(let bytes): return bytes.map(String.init).joined(separator: ".")
    case .v6(let bytes):
      return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        .joined(separator: ":")
    }
  }
}
