import DequeModule

/// The publishes of a channel in confirm mode that the broker has not yet confirmed, by
/// delivery tag.
///
/// The broker numbers publishes 1, 2, 3… from `confirm.select` on and confirms them with
/// `basic.ack` or `basic.nack`, single or `multiple` (everything up to the tag), in any order.
/// Entries sit in tag order, with holes where a later tag was confirmed first, so every
/// confirmation is found without searching.
///
/// A `basic.return` carries no tag. The broker sends it just before the ack of the returned
/// message, and returns messages in publishing order, so it belongs to the oldest unconfirmed
/// mandatory publish with the same exchange and routing key that has not been returned yet.
struct AMQPConfirmTracker<Waiter> {
  struct Route: Hashable {
    var exchange: String
    var routingKey: String
  }

  private struct Entry {
    var waiter: Waiter
    var mandatoryRoute: Route?
    var returned: AMQPError?
  }

  private var entries: Deque<Entry?> = []
  /// The tag of `entries.first`.
  private var firstTag: UInt64 = 1
  /// Publishes awaiting confirmation.
  private(set) var count = 0

  /// The tag the broker gives the next publish.
  var nextTag: UInt64 { firstTag + UInt64(entries.count) }

  /// Records a publish; returns its delivery tag.
  mutating func published(_ waiter: Waiter, mandatoryRoute: Route? = nil) -> UInt64 {
    let tag = nextTag
    entries.append(Entry(waiter: waiter, mandatoryRoute: mandatoryRoute))
    count += 1
    return tag
  }

  /// Applies a `basic.ack`: each confirmed publish with `nil`, or with the error of its
  /// `basic.return`.
  mutating func acked(_ tag: UInt64, multiple: Bool) -> [(Waiter, AMQPError?)] {
    take(tag, multiple: multiple).map { ($0.waiter, $0.returned) }
  }

  /// Applies a `basic.nack`: the publishes the broker refused.
  mutating func nacked(_ tag: UInt64, multiple: Bool) -> [Waiter] {
    take(tag, multiple: multiple).map(\.waiter)
  }

  /// Marks the publish a `basic.return` belongs to; false when no mandatory publish matches.
  mutating func returned(_ route: Route, error: AMQPError) -> Bool {
    for index in entries.indices {
      guard let entry = entries[index], entry.returned == nil, entry.mandatoryRoute == route else { continue }
      entries[index]!.returned = error
      return true
    }
    return false
  }

  /// Forgets every unconfirmed publish, for failing them when the channel or connection ends.
  mutating func removeAll() -> [Waiter] {
    let waiters = entries.compactMap { $0?.waiter }
    firstTag = nextTag
    entries.removeAll()
    count = 0
    return waiters
  }

  private mutating func take(_ tag: UInt64, multiple: Bool) -> [Entry] {
    var taken: [Entry] = []
    if multiple {
      // Tag 0 with `multiple` means every publish so far.
      let last = tag == 0 ? nextTag - 1 : min(tag, nextTag - 1)
      while firstTag <= last, let first = entries.popFirst() {
        firstTag += 1
        if let first { taken.append(first) }
      }
    } else if tag >= firstTag, tag < nextTag {
      let index = Int(tag - firstTag)
      if let entry = entries[index] {
        taken.append(entry)
        entries[index] = nil
      }
    }
    count -= taken.count
    while let first = entries.first, first == nil {
      entries.removeFirst()
      firstTag += 1
    }
    return taken
  }
}
