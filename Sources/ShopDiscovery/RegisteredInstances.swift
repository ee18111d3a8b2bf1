import EtcdClient

/// What the registry holds now, for operators (`shop discovery list`).
public enum RegisteredInstances {
  /// Every registered instance, or those of `role`, by role and instance name.
  public static func list(etcd: String, role: String? = nil) async throws -> [ServiceRecord] {
    let snapshot = try await EtcdClient.withClient(endpoint: etcd) {
      try await $0.get(prefix: role.map(ServiceRecord.prefix(role:)) ?? ServiceRecord.root)
    }
    return snapshot.keyValues.compactMap { ServiceRecord.decode($0.value) }.sorted {
      ($0.role, $0.instance) < ($1.role, $1.instance)
    }
  }
}
