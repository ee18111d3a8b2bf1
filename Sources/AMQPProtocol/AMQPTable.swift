import NIOCore

/// A field table: named values, such as queue arguments, message headers or the properties
/// exchanged when a connection starts.
///
/// Entries keep the order they were added or decoded in, duplicates included, so a decoded table
/// encodes back to the same bytes. The subscript treats the table like a dictionary: reading
/// returns the first entry with the key, assigning replaces that entry in place or appends a new
/// one, and assigning `nil` removes every entry with the key. Lookups are linear, which is
/// cheapest for the handful of entries tables hold in practice.
public struct AMQPTable: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
  /// One named value.
  public typealias Element = (key: String, value: AMQPFieldValue)
  /// Positions of entries, from zero.
  public typealias Index = Int

  /// How many tables and arrays may be nested inside a top-level table before decoding fails
  /// with ``AMQPProtocolError/Code/nestingTooDeep``.
  public static let maximumNestingDepth = 64

  private var entries: [Element]

  /// Creates an empty table.
  public init() {
    entries = []
  }

  /// Creates a table holding `entries` in the order the sequence yields them.
  ///
  /// A `Dictionary` yields its entries in no particular order; write a table literal instead to
  /// keep the order written.
  public init(entries: some Sequence<Element>) {
    self.entries = Array(entries)
  }

  /// Creates a table holding the literal's entries in the order written.
  public init(dictionaryLiteral elements: (String, AMQPFieldValue)...) {
    entries = elements.map { (key: $0.0, value: $0.1) }
  }

  /// The position of the first entry.
  public var startIndex: Int { entries.startIndex }

  /// The position after the last entry.
  public var endIndex: Int { entries.endIndex }

  /// The entry at `position`.
  public subscript(position: Int) -> Element {
    entries[position]
  }

  /// The value of the first entry named `key`; setting it replaces that entry, appends one, or
  /// with `nil` removes every entry named `key`.
  public subscript(key: String) -> AMQPFieldValue? {
    get {
      entries.first { $0.key == key }?.value
    }
    set {
      guard let newValue else {
        entries.removeAll { $0.key == key }
        return
      }
      if let index = entries.firstIndex(where: { $0.key == key }) {
        entries[index].value = newValue
      } else {
        entries.append((key: key, value: newValue))
      }
    }
  }

  /// Appends an entry even if one with the same key exists, as the wire format allows.
  public mutating func append(key: String, value: AMQPFieldValue) {
    entries.append((key: key, value: value))
  }

  /// Whether both tables hold equal entries in the same order.
  public static func == (lhs: AMQPTable, rhs: AMQPTable) -> Bool {
    lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
  }
}

extension AMQPTable {
  /// Appends the table's wire form: a four-octet length followed by each key as a short string
  /// and each value as a type octet and its bytes.
  ///
  /// Fails with ``AMQPProtocolError/Code/shortStringTooLong`` when a key is longer than 255
  /// bytes, leaving the buffer as it was.
  public func encode(into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    let start = buffer.writerIndex
    do throws(AMQPProtocolError) {
      try buffer.writeAMQPLengthPrefixed { (buffer) throws(AMQPProtocolError) in
        for entry in entries {
          try buffer.writeAMQPShortString(entry.key)
          try entry.value.encode(into: &buffer)
        }
      }
    } catch {
      buffer.moveWriterIndex(to: start)
      throw error
    }
  }

  /// Reads a table in the form ``encode(into:)`` writes.
  ///
  /// On failure the reader index is left where it was.
  public static func decode(from buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPTable {
    let start = buffer.readerIndex
    do throws(AMQPProtocolError) {
      return try decode(from: &buffer, depth: 0)
    } catch {
      buffer.moveReaderIndex(to: start)
      throw error
    }
  }

  /// Reads a table; `depth` is 0 for a method argument or property and grows with nesting.
  static func decode(from buffer: inout ByteBuffer, depth: Int) throws(AMQPProtocolError) -> AMQPTable {
    var contents = try buffer.readAMQPLengthPrefixedSlice()
    var table = AMQPTable()
    while contents.readableBytes > 0 {
      let key = try contents.readAMQPShortString()
      table.append(key: key, value: try AMQPFieldValue.decode(from: &contents, depth: depth))
    }
    return table
  }
}
