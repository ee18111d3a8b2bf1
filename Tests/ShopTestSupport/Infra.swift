import Foundation

/// Where the integration tests find the real servers, and whether a missing one is a failure
/// (`SHOP_REQUIRE_INFRA=1`, set by `make test` and CI) or a reason to skip.
public enum Infra {
  public static var required: Bool {
    ProcessInfo.processInfo.environment["SHOP_REQUIRE_INFRA"] == "1"
  }

  public static var postgresHost: String { env("SHOP_TEST_POSTGRES_HOST", "127.0.0.1") }
  public static var postgresPort: Int { Int(env("SHOP_TEST_POSTGRES_PORT", "5432")) ?? 5432 }

  /// True when PostgreSQL accepts TCP connections, or when its absence must fail the run:
  /// use as `.enabled(if: Infra.postgres)`.
  public static var postgres: Bool {
    required || reachable(host: postgresHost, port: postgresPort)
  }

  static func env(_ name: String, _ fallback: String) -> String {
    ProcessInfo.processInfo.environment[name] ?? fallback
  }

  static func reachable(host: String, port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}
