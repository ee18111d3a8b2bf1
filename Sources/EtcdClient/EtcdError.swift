/// What etcd answered that the caller has to act on; transport failures stay `RPCError`s.
public enum EtcdError: Error, Sendable, Equatable {
  /// The lease is gone (it expired or was revoked): its keys are deleted, register anew.
  case leaseExpired(Int64)
  /// etcd ended the watch; with a compacted revision, start again from a new snapshot.
  case watchCanceled(reason: String, compactRevision: Int64)
  /// A stream ended without etcd saying why (etcd stopped, say).
  case streamEnded
}
