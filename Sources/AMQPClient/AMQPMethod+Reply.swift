import AMQPProtocol

extension AMQPMethod {
  /// Whether `reply` answers this synchronous request, as `queue.declare-ok` answers
  /// `queue.declare`.
  ///
  /// Replies carry the request's method id plus one, except `exchange.unbind-ok` (51 for 40)
  /// and `basic.get`, which is answered by `get-ok` or `get-empty`.
  func isAnswered(by reply: AMQPMethod) -> Bool {
    guard reply.classID == classID else { return false }
    switch self {
    case .exchangeUnbind: return reply.methodID == 51
    case .basicGet: return reply.methodID == 71 || reply.methodID == 72
    default: return reply.methodID == methodID + 1
    }
  }
}
