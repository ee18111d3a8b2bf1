/// A key and its value as etcd holds them, at the revision that last changed it.
public struct EtcdKeyValue: Sendable, Equatable {
  public var key: String
  public var value: [UInt8]
  /// The store's revision at the key's last change.
  public var modRevision: Int64
  /// The lease the key is bound to; 0 for none.
  public var lease: Int64

  public init(key: String, value: [UInt8], modRevision: Int64 = 0, lease: Int64 = 0) {
    self.key = key
    self.value = value
    self.modRevision = modRevision
    self.lease = lease
  }

  init(_ message: Etcdserverpb_KeyValue) {
    self.init(
      key: String(decoding: message.key, as: UTF8.self), value: [UInt8](message.value),
      modRevision: message.modRevision, lease: message.lease)
  }
}

/// The keys under a prefix at one revision of the store, from which a watch goes on.
public struct EtcdSnapshot: Sendable, Equatable {
  public var revision: Int64
  public var keyValues: [EtcdKeyValue]

  public init(revision: Int64, keyValues: [EtcdKeyValue]) {
    self.revision = revision
    self.keyValues = keyValues
  }
}

/// One change a watch reports.
public enum EtcdEvent: Sendable, Equatable {
  case put(EtcdKeyValue)
  /// The key was deleted, or its lease expired or was revoked.
  case delete(key: String, revision: Int64)

  init(_ message: Etcdserverpb_Event) {
    switch message.type {
    case .delete:
      self = .delete(key: String(decoding: message.kv.key, as: UTF8.self), revision: message.kv.modRevision)
    default:
      self = .put(EtcdKeyValue(message.kv))
    }
  }
}
