import Foundation

/// What an instance says about itself in the registry, as JSON under
/// `/swiftshop/services/<role>/<instance>`, bound to the instance's lease.
public struct ServiceRecord: Codable, Sendable, Equatable {
  /// The role as in `shop serve <role>`: `user`, `product`, `order`, …
  public var role: String
  public var instance: String
  /// Where callers reach it: the gRPC listener of a service, the HTTP listener of a
  /// gateway, the admin listener of a worker.
  public var address: String
  public var port: Int
  /// The admin listener, with `/health` and `/metrics`.
  public var adminPort: Int
  public var version: String
  public var startedAt: Date
  /// Whether it is ready for new calls; an instance whose readiness fails stays
  /// registered but is not called.
  public var serving: Bool

  public init(
    role: String, instance: String, address: String, port: Int, adminPort: Int, version: String, startedAt: Date,
    serving: Bool
  ) {
    self.role = role
    self.instance = instance
    self.address = address
    self.port = port
    self.adminPort = adminPort
    self.version = version
    self.startedAt = startedAt
    self.serving = serving
  }

  enum CodingKeys: String, CodingKey {
    case role, instance, address, port, version, serving
    case adminPort = "admin_port"
    case startedAt = "started_at"
  }

  public static let root = "/swiftshop/services/"

  /// The prefix of every instance of `role`.
  public static func prefix(role: String) -> String { root + role + "/" }

  public var key: String { Self.prefix(role: role) + instance }

  public func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = .sortedKeys
    return Array((try? encoder.encode(self)) ?? Data())
  }

  /// The record stored under a key, or nil for a value that is not one.
  public static func decode(_ value: [UInt8]) -> ServiceRecord? {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try? decoder.decode(ServiceRecord.self, from: Data(value))
  }
}
