import AMQPProtocol

/// The exchanges, queues and bindings declared through a connection, in declaration order, so
/// that recovery can declare them again on a new connection.
///
/// Deleting an exchange or queue forgets it and its bindings; unbinding forgets the binding.
/// Passive declarations check and create nothing, so they are not recorded.
struct AMQPTopology: Sendable {
  /// A recorded declaration; a server-named queue keeps the name it was given last.
  struct Entry: Sendable {
    var method: AMQPMethod
    var serverNamed = false
  }

  private(set) var entries: [Entry] = []

  var isEmpty: Bool { entries.isEmpty }

  mutating func exchangeDeclared(_ declare: AMQPMethod.Exchange.Declare) {
    var declare = declare
    declare.noWait = false
    entries.removeAll {
      if case .exchangeDeclare(let old) = $0.method { old.exchange == declare.exchange } else { false }
    }
    entries.append(Entry(method: .exchangeDeclare(declare)))
  }

  /// Records a queue under the name the broker confirmed, remembering when the broker chose it.
  mutating func queueDeclared(_ declare: AMQPMethod.Queue.Declare, name: String) {
    var declare = declare
    declare.noWait = false
    let serverNamed = declare.queue.isEmpty
    declare.queue = name
    entries.removeAll { if case .queueDeclare(let old) = $0.method { old.queue == name } else { false } }
    entries.append(Entry(method: .queueDeclare(declare), serverNamed: serverNamed))
  }

  mutating func queueBound(_ bind: AMQPMethod.Queue.Bind) {
    var bind = bind
    bind.noWait = false
    entries.removeAll { $0.method == .queueBind(bind) }
    entries.append(Entry(method: .queueBind(bind)))
  }

  mutating func exchangeBound(_ bind: AMQPMethod.Exchange.Binding) {
    var bind = bind
    bind.noWait = false
    entries.removeAll { $0.method == .exchangeBind(bind) }
    entries.append(Entry(method: .exchangeBind(bind)))
  }

  mutating func queueUnbound(_ unbind: AMQPMethod.Queue.Unbind) {
    entries.removeAll {
      guard case .queueBind(let bind) = $0.method else { return false }
      return bind.queue == unbind.queue && bind.exchange == unbind.exchange && bind.routingKey == unbind.routingKey
        && bind.arguments == unbind.arguments
    }
  }

  mutating func exchangeUnbound(_ unbind: AMQPMethod.Exchange.Binding) {
    entries.removeAll {
      guard case .exchangeBind(let bind) = $0.method else { return false }
      return bind.destination == unbind.destination && bind.source == unbind.source
        && bind.routingKey == unbind.routingKey && bind.arguments == unbind.arguments
    }
  }

  mutating func exchangeDeleted(_ name: String) {
    entries.removeAll {
      switch $0.method {
      case .exchangeDeclare(let declare): declare.exchange == name
      case .queueBind(let bind): bind.exchange == name
      case .exchangeBind(let bind): bind.source == name || bind.destination == name
      default: false
      }
    }
  }

  mutating func queueDeleted(_ name: String) {
    entries.removeAll {
      switch $0.method {
      case .queueDeclare(let declare): declare.queue == name
      case .queueBind(let bind): bind.queue == name
      default: false
      }
    }
  }

  /// A server-named queue was declared again and got a new name: its bindings follow it.
  mutating func queueRenamed(from old: String, to new: String) {
    for index in entries.indices {
      switch entries[index].method {
      case .queueDeclare(var declare) where declare.queue == old:
        declare.queue = new
        entries[index].method = .queueDeclare(declare)
      case .queueBind(var bind) where bind.queue == old:
        bind.queue = new
        entries[index].method = .queueBind(bind)
      default:
        break
      }
    }
  }
}
