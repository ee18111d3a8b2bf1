import ShopContracts

/// What one client's `GET /orders/{id}/events` sends, decided without I/O: the changes of the
/// order's history it has not seen, each numbered by its place in the history (1 for the
/// first), and when the stream is over.
///
/// The gateway subscribes to the order's `order.status_changed` events before it reads the
/// order, so an event may tell of a change the read already holds; it is recognised by its
/// status, since no status comes twice in an order's history. An event that does not follow
/// the last known status (one was missed, or they came out of order) asks for the order to be
/// read again.
struct OrderEventStream: Sendable, Equatable {
  struct Change: Sendable, Equatable {
    var sequence: Int
    var status: String
    var at: String
  }

  /// What to do with an event.
  enum Step: Sendable, Equatable {
    case send(Change)
    /// Already known: nothing to send.
    case ignore
    /// Not the next change: read the order's history again (``reread(_:)``).
    case reread
  }

  /// The statuses after which an order never changes again.
  static let finalStatuses: Set<String> = ["completed", "cancelled"]

  /// The history the client has, as far as the gateway knows it.
  private(set) var known: [Change]

  /// Starts from the order's history as read. Without `lastEventID` the client gets the
  /// current status; with it, the changes after that one.
  static func start(history: [(status: String, at: String)], lastEventID: Int?) -> (Self, [Change]) {
    let changes = history.enumerated().map {
      Change(sequence: $0.offset + 1, status: $0.element.status, at: $0.element.at)
    }
    let stream = Self(known: changes)
    guard let lastEventID else { return (stream, changes.last.map { [$0] } ?? []) }
    return (stream, changes.filter { $0.sequence > lastEventID })
  }

  /// Whether the order has reached a status it never leaves.
  var isFinished: Bool { known.last.map { Self.finalStatuses.contains($0.status) } ?? false }

  mutating func receive(_ event: OrderStatusChanged) -> Step {
    if known.contains(where: { $0.status == event.to }) { return .ignore }
    guard event.from == known.last?.status else { return .reread }
    let change = Change(sequence: known.count + 1, status: event.to, at: event.at)
    known.append(change)
    return .send(change)
  }

  /// The order's history read again: the changes the client does not have yet.
  mutating func reread(_ history: [(status: String, at: String)]) -> [Change] {
    let (fresh, _) = Self.start(history: history, lastEventID: nil)
    let new = fresh.known.dropFirst(known.count)
    known = fresh.known.count > known.count ? fresh.known : known
    return Array(new)
  }
}
