import EtcdClient

/// The instances of one role as the registry's snapshot and watch events describe them,
/// and the endpoints to call: the serving ones, in a stable order.
public struct ServiceDirectory: Sendable, Equatable {
  public struct Endpoint: Sendable, Hashable, Comparable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
      self.host = host
      self.port = port
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.host, lhs.port) < (rhs.host, rhs.port) }
  }

  public private(set) var records: [String: ServiceRecord] = [:]

  public init() {}

  /// Starts over from a snapshot of the role's prefix; values that are not records are left out.
  public mutating func replace(with snapshot: EtcdSnapshot) {
    records = [:]
    for keyValue in snapshot.keyValues { apply(.put(keyValue)) }
  }

  public mutating func apply(_ event: EtcdEvent) {
    switch event {
    case .put(let keyValue):
      if let record = ServiceRecord.decode(keyValue.value) {
        records[keyValue.key] = record
      } else {
        records[keyValue.key] = nil
      }
    case .delete(let key, _):
      records[key] = nil
    }
  }

  /// Where new calls go: every serving instance, each address once.
  public var endpoints: [Endpoint] {
    Set(records.values.filter(\.serving).map { Endpoint(host: $0.address, port: $0.port) }).sorted()
  }
}
