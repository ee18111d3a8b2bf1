import NIOCore

/// Reads one value from the readable bytes of a buffer without consuming them.
///
/// Running out of bytes is not an error: every step returns `nil` as soon as the value is known
/// to be incomplete, so the caller can wait for more data and start again from the same place.
struct RESPParser {
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let lineFeed = UInt8(ascii: "\n")
  /// `-9223372036854775808` is the longest text a 64-bit length or integer can have.
  private static let maximumNumberLength = 20
  /// Generous for any double a server prints, yet small enough to reject garbage early.
  private static let maximumDoubleLength = 512
  /// The smallest encoded value, `_\r\n`, bounds how many elements the remaining bytes can hold,
  /// which keeps a hostile count from reserving memory up front.
  private static let minimumValueLength = 3

  private enum Length {
    case null
    case count(Int)
  }

  /// Blob payloads are sliced from this buffer instead of copied.
  private let source: ByteBuffer
  private let bytes: UnsafeRawBufferPointer
  private let maximumDepth: Int
  private let maximumBlobLength: Int
  /// Offset of the next unread byte, relative to the source's reader index.
  private(set) var position = 0

  /// `bytes` must be the readable bytes of `source`, valid for the parser's whole life.
  init(source: ByteBuffer, bytes: UnsafeRawBufferPointer, maximumDepth: Int, maximumBlobLength: Int) {
    self.source = source
    self.bytes = bytes
    self.maximumDepth = maximumDepth
    self.maximumBlobLength = maximumBlobLength
  }

  /// Parses the value at the current position, which is nested inside `depth` aggregates.
  mutating func parseValue(depth: Int) throws(RESPParseError) -> RESPValue? {
    guard position < bytes.count else { return nil }
    let start = position
    let marker = bytes[position]
    position += 1
    switch marker {
    case UInt8(ascii: "+"):
      return try readLine(limit: maximumBlobLength, overflow: .tooLarge).map { .simpleString(text(in: $0)) }
    case UInt8(ascii: "-"):
      return try readLine(limit: maximumBlobLength, overflow: .tooLarge).map { .simpleError(text(in: $0)) }
    case UInt8(ascii: ":"):
      return try parseInteger()
    case UInt8(ascii: "$"):
      return try parseBlobString(start: start)
    case UInt8(ascii: "!"):
      return try readBlob(start: start).map { .blobError(text(in: $0)) }
    case UInt8(ascii: "="):
      return try parseVerbatimString(start: start)
    case UInt8(ascii: ","):
      return try parseDouble()
    case UInt8(ascii: "("):
      return try parseBigNumber()
    case UInt8(ascii: "#"):
      return try parseBoolean()
    case UInt8(ascii: "_"):
      return try readLine(limit: 0, overflow: .missingCRLF).map { _ in .null }
    case UInt8(ascii: "*"):
      return try parseArray(depth: depth, start: start)
    case UInt8(ascii: "~"):
      guard let count = try readCount(start: start),
        let elements = try parseElements(count, depth: depth, start: start)
      else { return nil }
      return .set(elements)
    case UInt8(ascii: ">"):
      guard let count = try readCount(start: start),
        let elements = try parseElements(count, depth: depth, start: start)
      else { return nil }
      return .push(elements)
    case UInt8(ascii: "%"):
      guard let count = try readCount(start: start), let pairs = try parsePairs(count, depth: depth, start: start)
      else { return nil }
      return .map(pairs)
    case UInt8(ascii: "|"):
      return try parseAttribute(depth: depth, start: start)
    case UInt8(ascii: ";"), UInt8(ascii: "."):
      // Chunks and end markers only occur inside streamed values, which are not supported.
      throw RESPParseError(code: .unsupported, offset: start)
    default:
      throw RESPParseError(code: .invalidType, offset: start)
    }
  }

  private mutating func parseInteger() throws(RESPParseError) -> RESPValue? {
    guard let range = try readLine(limit: Self.maximumNumberLength, overflow: .invalidInteger) else { return nil }
    guard let value = integer(in: range, allowsPlusSign: true) else {
      throw RESPParseError(code: .invalidInteger, offset: range.lowerBound)
    }
    return .integer(value)
  }

  private mutating func parseBlobString(start: Int) throws(RESPParseError) -> RESPValue? {
    guard let length = try readLength(start: start, allowsNull: true) else { return nil }
    guard case .count(let count) = length else { return .null }
    guard let range = try readPayload(count, start: start) else { return nil }
    // The payload range was checked against the readable bytes, so the slice always exists.
    return .blobString(source.getSlice(at: source.readerIndex + range.lowerBound, length: range.count)!)
  }

  private mutating func parseVerbatimString(start: Int) throws(RESPParseError) -> RESPValue? {
    guard let range = try readBlob(start: start) else { return nil }
    let formatLength = 3
    guard range.count > formatLength, bytes[range.lowerBound + formatLength] == UInt8(ascii: ":") else {
      throw RESPParseError(code: .invalidVerbatimString, offset: range.lowerBound)
    }
    let separator = range.lowerBound + formatLength
    return .verbatimString(
      format: text(in: range.lowerBound..<separator), text: text(in: (separator + 1)..<range.upperBound))
  }

  private mutating func parseDouble() throws(RESPParseError) -> RESPValue? {
    guard let range = try readLine(limit: Self.maximumDoubleLength, overflow: .invalidDouble) else { return nil }
    let text = text(in: range)
    switch text {
    case "inf", "+inf": return .double(.infinity)
    case "-inf": return .double(-.infinity)
    case "nan", "-nan": return .double(.nan)
    default: break
    }
    // Swift's parser also accepts hexadecimal and spelled-out forms that RESP does not allow.
    let isDecimal = bytes[range].allSatisfy { byte in
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
        || byte == UInt8(ascii: "E")
    }
    guard isDecimal, let value = Double(text) else {
      throw RESPParseError(code: .invalidDouble, offset: range.lowerBound)
    }
    return .double(value)
  }

  private mutating func parseBigNumber() throws(RESPParseError) -> RESPValue? {
    guard let range = try readLine(limit: maximumBlobLength, overflow: .tooLarge) else { return nil }
    var digits = range
    if let first = digits.first, bytes[first] == UInt8(ascii: "-") || bytes[first] == UInt8(ascii: "+") {
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, bytes[digits].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
      throw RESPParseError(code: .invalidBigNumber, offset: range.lowerBound)
    }
    return .bigNumber(text(in: range))
  }

  private mutating func parseBoolean() throws(RESPParseError) -> RESPValue? {
    guard let range = try readLine(limit: 1, overflow: .invalidBoolean) else { return nil }
    switch range.count == 1 ? bytes[range.lowerBound] : nil {
    case UInt8(ascii: "t"): return .boolean(true)
    case UInt8(ascii: "f"): return .boolean(false)
    default: throw RESPParseError(code: .invalidBoolean, offset: range.lowerBound)
    }
  }

  private mutating func parseArray(depth: Int, start: Int) throws(RESPParseError) -> RESPValue? {
    guard let length = try readLength(start: start, allowsNull: true) else { return nil }
    guard case .count(let count) = length else { return .null }
    return try parseElements(count, depth: depth, start: start).map { .array($0) }
  }

  /// The annotated value counts as nested inside the attribute, so a chain of attributes is
  /// bounded by the depth limit like any other nesting.
  private mutating func parseAttribute(depth: Int, start: Int) throws(RESPParseError) -> RESPValue? {
    guard let count = try readCount(start: start), let attributes = try parsePairs(count, depth: depth, start: start),
      let value = try parseValue(depth: depth + 1)
    else { return nil }
    return .attribute(attributes, value)
  }

  private mutating func parseElements(_ count: Int, depth: Int, start: Int) throws(RESPParseError) -> [RESPValue]? {
    guard depth < maximumDepth else { throw RESPParseError(code: .tooDeep, offset: start) }
    var elements: [RESPValue] = []
    elements.reserveCapacity(min(count, (bytes.count - position) / Self.minimumValueLength))
    for _ in 0..<count {
      guard let element = try parseValue(depth: depth + 1) else { return nil }
      elements.append(element)
    }
    return elements
  }

  private mutating func parsePairs(_ count: Int, depth: Int, start: Int) throws(RESPParseError) -> [RESPPair]? {
    guard depth < maximumDepth else { throw RESPParseError(code: .tooDeep, offset: start) }
    var pairs: [RESPPair] = []
    pairs.reserveCapacity(min(count, (bytes.count - position) / (2 * Self.minimumValueLength)))
    for _ in 0..<count {
      guard let key = try parseValue(depth: depth + 1), let value = try parseValue(depth: depth + 1) else {
        return nil
      }
      pairs.append(RESPPair(key: key, value: value))
    }
    return pairs
  }

  /// Reads a length-prefixed payload whose header has no null form.
  private mutating func readBlob(start: Int) throws(RESPParseError) -> Range<Int>? {
    guard let count = try readCount(start: start) else { return nil }
    return try readPayload(count, start: start)
  }

  /// Reads `count` payload bytes and their terminator, refusing oversized blobs before any of
  /// their bytes have arrived.
  private mutating func readPayload(_ count: Int, start: Int) throws(RESPParseError) -> Range<Int>? {
    guard count <= maximumBlobLength else { throw RESPParseError(code: .tooLarge, offset: start) }
    guard count <= bytes.count - position - 2 else { return nil }
    let end = position + count
    guard bytes[end] == Self.carriageReturn, bytes[end + 1] == Self.lineFeed else {
      throw RESPParseError(code: .missingCRLF, offset: end)
    }
    defer { position = end + 2 }
    return position..<end
  }

  /// Reads the header of an aggregate or blob that has no null form.
  private mutating func readCount(start: Int) throws(RESPParseError) -> Int? {
    switch try readLength(start: start, allowsNull: false) {
    case .count(let count): count
    case .null, nil: nil
    }
  }

  private mutating func readLength(start: Int, allowsNull: Bool) throws(RESPParseError) -> Length? {
    guard let range = try readLine(limit: Self.maximumNumberLength, overflow: .invalidLength) else { return nil }
    if range.count == 1, bytes[range.lowerBound] == UInt8(ascii: "?") {
      throw RESPParseError(code: .unsupported, offset: start)
    }
    guard let value = integer(in: range, allowsPlusSign: false) else {
      throw RESPParseError(code: .invalidLength, offset: range.lowerBound)
    }
    if value == -1, allowsNull { return .null }
    guard value >= 0, let count = Int(exactly: value) else {
      throw RESPParseError(code: .invalidLength, offset: range.lowerBound)
    }
    return .count(count)
  }

  /// Reads up to the next `\r\n` and returns the range before it.
  ///
  /// A line that is already longer than `limit` fails with `overflow` without waiting for its
  /// end, so a peer cannot make the decoder buffer an endless line.
  private mutating func readLine(limit: Int, overflow: RESPParseError.Code) throws(RESPParseError) -> Range<Int>? {
    let start = position
    var index = start
    while index < bytes.count {
      switch bytes[index] {
      case Self.carriageReturn:
        guard index - start <= limit else { throw RESPParseError(code: overflow, offset: start) }
        guard index + 1 < bytes.count else { return nil }
        guard bytes[index + 1] == Self.lineFeed else { throw RESPParseError(code: .missingCRLF, offset: index) }
        position = index + 2
        return start..<index
      case Self.lineFeed:
        throw RESPParseError(code: .missingCRLF, offset: index)
      default:
        index += 1
      }
    }
    guard index - start <= limit else { throw RESPParseError(code: overflow, offset: start) }
    return nil
  }

  private func integer(in range: Range<Int>, allowsPlusSign: Bool) -> Int64? {
    var index = range.lowerBound
    var isNegative = false
    if index < range.upperBound, bytes[index] == UInt8(ascii: "-") {
      isNegative = true
      index += 1
    } else if allowsPlusSign, index < range.upperBound, bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    guard index < range.upperBound else { return nil }
    var magnitude: UInt64 = 0
    while index < range.upperBound {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      let (shifted, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, carried) = shifted.addingReportingOverflow(UInt64(digit))
      guard !overflowed, !carried else { return nil }
      magnitude = sum
      index += 1
    }
    if isNegative {
      guard magnitude <= Int64.min.magnitude else { return nil }
      return Int64(bitPattern: 0 &- magnitude)
    }
    return Int64(exactly: magnitude)
  }

  /// Text in replies is UTF-8 by convention only, so invalid bytes are replaced rather than
  /// rejected.
  private func text(in range: Range<Int>) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
