/// Which connections of the pool are usable and who waits for one, as a pure value.
struct RedisPoolState<Connection: AnyObject> {
  enum Slot {
    case empty
    case ready(Connection)
  }

  private(set) var slots: [Slot]
  private(set) var exclusive: Set<Int> = []
  private(set) var isShutdown = false

  init(size: Int) {
    slots = Array(repeating: .empty, count: size)
  }

  /// The ready, shared connection with the least work, by the caller's measure.
  func leastLoaded(load: (Connection) -> Int) -> Connection? {
    var best: (Connection, Int)?
    for (index, slot) in slots.enumerated() where !exclusive.contains(index) {
      guard case .ready(let connection) = slot else { continue }
      let l = load(connection)
      if best == nil || l < best!.1 { best = (connection, l) }
    }
    return best?.0
  }

  /// Takes an idle ready connection out of sharing until ``release(_:)``.
  mutating func leaseExclusive(load: (Connection) -> Int) -> Connection? {
    var candidate: (Int, Connection, Int)?
    for (index, slot) in slots.enumerated() where !exclusive.contains(index) {
      guard case .ready(let connection) = slot else { continue }
      let l = load(connection)
      if candidate == nil || l < candidate!.2 { candidate = (index, connection, l) }
    }
    guard let (index, connection, _) = candidate else { return nil }
    exclusive.insert(index)
    return connection
  }

  mutating func release(_ connection: Connection) {
    if let index = index(of: connection) { exclusive.remove(index) }
  }

  mutating func connected(_ connection: Connection, slot: Int) {
    slots[slot] = .ready(connection)
    exclusive.remove(slot)
  }

  mutating func disconnected(slot: Int) {
    slots[slot] = .empty
    exclusive.remove(slot)
  }

  mutating func shutdown() -> [Connection] {
    isShutdown = true
    return slots.compactMap { if case .ready(let c) = $0 { c } else { nil } }
  }

  var readyCount: Int {
    slots.reduce(0) { count, slot in if case .ready = slot { count + 1 } else { count } }
  }

  private func index(of connection: Connection) -> Int? {
    slots.firstIndex { if case .ready(let c) = $0 { c === connection } else { false } }
  }
}
