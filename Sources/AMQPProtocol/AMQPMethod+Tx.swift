extension AMQPMethod {
  /// Maps a `tx` method id to its method; none of them has arguments.
  static func decodeTx(methodID: UInt16) throws(AMQPProtocolError) -> AMQPMethod {
    switch methodID {
    case 10: .txSelect
    case 11: .txSelectOk
    case 20: .txCommit
    case 21: .txCommitOk
    case 30: .txRollback
    case 31: .txRollbackOk
    default: throw AMQPProtocolError(.unknownMethod, "tx method \(methodID)")
    }
  }
}
