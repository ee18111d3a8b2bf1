/// The `[key, range_end)` bounds etcd takes for "every key with this prefix".
enum EtcdKeyRange {
  /// The prefix with its last byte below 0xff incremented and what follows it dropped: the
  /// first key that no longer has the prefix. A prefix of only 0xff bytes has no such key,
  /// and etcd reads `[0]` as "to the end".
  static func end(ofPrefix prefix: String) -> [UInt8] {
    var bytes = Array(prefix.utf8)
    while let last = bytes.last {
      if last < 0xff {
        bytes[bytes.count - 1] = last + 1
        return bytes
      }
      bytes.removeLast()
    }
    return [0]
  }
}
