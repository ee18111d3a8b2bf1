import AMQPProtocol
import Logging
import NIOCore
import Synchronization

extension AMQPConnection {
  /// Sets a new connection up as the previous one was: the recorded exchanges, queues and
  /// bindings first, then every open channel with its modes and consumers.
  ///
  /// A declaration the broker now refuses (say, a queue someone re-created with other
  /// arguments) is logged and skipped rather than failing the recovery; channels and
  /// consumers need the connection, so their failure fails the attempt, to be tried again.
  func restore(on transport: AMQPTransport) async throws {
    let deadline = deadline(nil)
    let (topology, channels) = state.withLock { state in
      (state.topology, state.channels.values.sorted { $0.number < $1.number })
    }
    if !topology.isEmpty {
      try await restoreTopology(topology, on: transport, until: deadline)
    }
    for channel in channels {
      try await channel.restore(on: transport, until: deadline)
    }
  }

  private func restoreTopology(_ topology: AMQPTopology, on transport: AMQPTransport, until deadline: NIODeadline)
    async throws
  {
    let number = transport.tuning.channelMax
    try await transport.openChannel(number, until: deadline)
    var renamed: [String: String] = [:]
    for entry in topology.entries {
      var method = entry.method
      switch method {
      case .queueDeclare(var declare) where entry.serverNamed:
        declare.queue = ""
        method = .queueDeclare(declare)
      case .queueBind(var bind):
        if let name = renamed[bind.queue] {
          bind.queue = name
          method = .queueBind(bind)
        }
      default:
        break
      }
      do {
        let reply = try await transport.request(number, method, until: deadline)
        if entry.serverNamed, case .queueDeclare(let old) = entry.method,
          case .method(.queueDeclareOk(let ok)) = reply
        {
          renamed[old.queue] = ok.queue
        }
      } catch let error as AMQPError where error.code == .channelClosed {
        logger.info(
          "amqp declaration not restored",
          metadata: ["amqp.method": "\(method.classID).\(method.methodID)", "error.message": "\(error)"])
        try await transport.openChannel(number, until: deadline)
      }
    }
    try await transport.closeChannel(number, until: deadline)
    guard !renamed.isEmpty else { return }
    state.withLock { state in
      for (old, new) in renamed { state.topology.queueRenamed(from: old, to: new) }
    }
    for channel in state.withLock({ Array($0.channels.values) }) {
      channel.withRecord { record in
        for (tag, consumer) in record.consumers {
          if let name = renamed[consumer.consume.queue] { record.consumers[tag]?.consume.queue = name }
        }
      }
    }
  }
}
