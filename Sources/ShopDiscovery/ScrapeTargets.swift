import Foundation

/// The registry as Prometheus's file-based discovery reads it: one target group per
/// instance, its admin listener (where `/metrics` is) as the target, labelled with its
/// role as `service` and its instance name as `program`. Every registered instance is
/// listed, serving or not, since one that is not ready is the one an operator wants to see.
public struct ScrapeTargets: Sendable, Equatable {
  public struct Group: Codable, Sendable, Equatable {
    public var targets: [String]
    public var labels: [String: String]
  }

  /// By target, each target once.
  public private(set) var groups: [Group]

  public init(_ records: some Sequence<ServiceRecord>) {
    var byTarget: [String: Group] = [:]
    for record in records {
      let target = "\(record.address):\(record.adminPort)"
      byTarget[target] = Group(targets: [target], labels: ["service": record.role, "program": record.instance])
    }
    groups = byTarget.keys.sorted().compactMap { byTarget[$0] }
  }

  public init(_ directory: ServiceDirectory) { self.init(directory.records.values) }

  /// The file's content: a JSON array of target groups.
  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return (try? encoder.encode(groups)) ?? Data("[]".utf8)
  }
}
