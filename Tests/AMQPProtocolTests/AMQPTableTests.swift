import AMQPProtocol
import NIOCore
import Testing

@Suite struct AMQPTableTests {
  struct TypedValue: Sendable, CustomTestStringConvertible {
    var value: AMQPFieldValue
    var typeOctet: Character
    var testDescription: String { "\(typeOctet): \(value)" }
  }

  static let everyType: [TypedValue] = [
    TypedValue(value: .bool(true), typeOctet: "t"),
    TypedValue(value: .bool(false), typeOctet: "t"),
    TypedValue(value: .int8(-128), typeOctet: "b"),
    TypedValue(value: .uint8(255), typeOctet: "B"),
    TypedValue(value: .int16(-32_768), typeOctet: "s"),
    TypedValue(value: .uint16(65_535), typeOctet: "u"),
    TypedValue(value: .int32(.min), typeOctet: "I"),
    TypedValue(value: .uint32(.max), typeOctet: "i"),
    TypedValue(value: .int64(.min), typeOctet: "l"),
    TypedValue(value: .float(-1.5), typeOctet: "f"),
    TypedValue(value: .double(.pi), typeOctet: "d"),
    TypedValue(value: .decimal(scale: 2, value: 12_345), typeOctet: "D"),
    TypedValue(value: .string("grüße"), typeOctet: "S"),
    TypedValue(value: .longString([]), typeOctet: "S"),
    TypedValue(value: .bytes([0, 1, 0xCE, 0xFF]), typeOctet: "x"),
    TypedValue(value: .array([.int32(1), .string("two"), .array([]), .table([:])]), typeOctet: "A"),
    TypedValue(value: .array([]), typeOctet: "A"),
    TypedValue(value: .timestamp(1_700_000_000), typeOctet: "T"),
    TypedValue(value: .table(["nested": .table(["deeper": .array([.void, .bool(true)])])]), typeOctet: "F"),
    TypedValue(value: .table([:]), typeOctet: "F"),
    TypedValue(value: .void, typeOctet: "V"),
  ]

  @Test(arguments: everyType)
  func fieldValueRoundTripsWithItsTypeOctet(_ typed: TypedValue) throws {
    let table: AMQPTable = ["k": typed.value]
    var buffer = ByteBuffer()
    try table.encode(into: &buffer)
    // length (4), key length (1), key (1), then the type octet
    #expect(buffer.getInteger(at: buffer.readerIndex + 6, as: UInt8.self) == typed.typeOctet.asciiValue)
    #expect(buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) == UInt32(buffer.readableBytes - 4))
    #expect(try AMQPTable.decode(from: &buffer) == table)
    #expect(buffer.readableBytes == 0)
  }

  @Test func tableWithEveryTypeAtOnceRoundTripsInOrder() throws {
    var table = AMQPTable()
    for (index, typed) in Self.everyType.enumerated() {
      table.append(key: "field-\(index)", value: typed.value)
    }
    var buffer = ByteBuffer()
    try table.encode(into: &buffer)
    let decoded = try AMQPTable.decode(from: &buffer)
    #expect(decoded == table)
    #expect(decoded.map(\.key) == (0..<Self.everyType.count).map { "field-\($0)" })
  }

  @Test func specialFloatingPointValuesKeepTheirBits() throws {
    let values: [AMQPFieldValue] = [
      .double(.nan), .double(-0.0), .double(.infinity), .float(.nan), .float(-.infinity),
      .float(.leastNonzeroMagnitude),
    ]
    var buffer = ByteBuffer()
    try AMQPTable(entries: values.enumerated().map { (key: "\($0.offset)", value: $0.element) }).encode(into: &buffer)
    let decoded = try AMQPTable.decode(from: &buffer)
    for ((_, original), (_, roundTripped)) in zip(values.enumerated(), decoded) {
      switch (original, roundTripped) {
      case (.double(let a), .double(let b)): #expect(a.bitPattern == b.bitPattern)
      case (.float(let a), .float(let b)): #expect(a.bitPattern == b.bitPattern)
      default: Issue.record("type changed from \(original) to \(roundTripped)")
      }
    }
  }

  @Test func emptyTableIsFourZeroOctets() throws {
    var buffer = ByteBuffer()
    try AMQPTable().encode(into: &buffer)
    #expect(bytes(buffer) == [0, 0, 0, 0])
    #expect(try AMQPTable.decode(from: &buffer).isEmpty)
  }

  @Test func tableWithOneLongStringMatchesHandWrittenBytes() throws {
    var buffer = ByteBuffer()
    let table: AMQPTable = ["product": "RabbitMQ"]
    try table.encode(into: &buffer)
    // 21 bytes: key length 7, "product", type S, length 8, "RabbitMQ"
    let expected = hex("00000015 07") + ascii("product") + hex("53 00000008") + ascii("RabbitMQ")
    #expect(bytes(buffer) == expected)
  }

  @Test func nestedArrayMatchesHandWrittenBytes() throws {
    var buffer = ByteBuffer()
    let table: AMQPTable = ["a": .array([.bool(true), .int16(-2)])]
    try table.encode(into: &buffer)
    #expect(bytes(buffer) == hex("0000000C 01 61 41 00000005 74 01 73 FFFE"))
  }

  @Test func literalsProduceTheTypesRabbitMQUses() {
    let table: AMQPTable = ["text": "x", "flag": true, "count": 10, "ratio": 0.5]
    #expect(table["text"] == .longString([UInt8(ascii: "x")]))
    #expect(table["flag"] == .bool(true))
    #expect(table["count"] == .int64(10))
    #expect(table["ratio"] == .double(0.5))
    #expect(table["text"]?.stringValue == "x")
    #expect(table["count"]?.integerValue == 10)
    #expect(AMQPFieldValue.uint32(7).integerValue == 7)
    #expect(AMQPFieldValue.bool(true).integerValue == nil)
    #expect(AMQPFieldValue.bytes([1]).stringValue == nil)
  }

  @Test func subscriptBehavesLikeADictionaryWhileKeepingOrder() {
    var table: AMQPTable = ["b": 1, "a": 2]
    table.append(key: "b", value: 3)
    #expect(table["b"] == .int64(1))
    #expect(table["missing"] == nil)

    table["a"] = "replaced"
    #expect(table.map(\.key) == ["b", "a", "b"])
    #expect(table["a"] == .string("replaced"))

    table["c"] = .void
    #expect(table.map(\.key) == ["b", "a", "b", "c"])

    table["b"] = nil
    #expect(table.map(\.key) == ["a", "c"])
  }

  @Test func duplicateKeysSurviveARoundTrip() throws {
    var table = AMQPTable()
    table.append(key: "dup", value: 1)
    table.append(key: "dup", value: 2)
    var buffer = ByteBuffer()
    try table.encode(into: &buffer)
    let decoded = try AMQPTable.decode(from: &buffer)
    #expect(decoded.count == 2)
    #expect(decoded == table)
  }

  @Test func tablesWithDifferentOrderAreNotEqual() {
    let ab: AMQPTable = ["a": 1, "b": 2]
    let ba: AMQPTable = ["b": 2, "a": 1]
    let single: AMQPTable = ["a": 1]
    #expect(ab != ba)
    #expect(ab == AMQPTable(entries: [(key: "a", value: 1), (key: "b", value: 2)]))
    #expect(single != AMQPTable(entries: [(key: "a", value: 1), (key: "a", value: 1)]))
  }

  @Test func overlongKeyFailsWithoutWriting() {
    var buffer = ByteBuffer(bytes: [1, 2, 3])
    let table: AMQPTable = [String(repeating: "k", count: 256): .void]
    let error = #expect(throws: AMQPProtocolError.self) { try table.encode(into: &buffer) }
    #expect(error?.code == .shortStringTooLong)
    #expect(bytes(buffer) == [1, 2, 3])
  }

  @Test func invalidUTF8IsReplacedRatherThanRejected() throws {
    var buffer = ByteBuffer(bytes: hex("00000004 02 FF 61 56"))
    let table = try AMQPTable.decode(from: &buffer)
    #expect(table.first?.key == "\u{FFFD}a")
    #expect(table.first?.value == .void)
  }

  @Test func nestingUpToTheLimitDecodesAndBeyondFails() throws {
    /// Tables alternating with arrays that hold one table, `depth` wrappings deep.
    func nested(_ depth: Int) -> AMQPTable {
      (0..<depth).reduce(["leaf": 1] as AMQPTable) { inner, index in
        index.isMultiple(of: 2) ? ["t": .table(inner)] : ["a": .array([.table(inner)])]
      }
    }
    var atLimit = ByteBuffer()
    let deepest = (0..<AMQPTable.maximumNestingDepth).reduce(["leaf": 1] as AMQPTable) { inner, _ in
      ["t": .table(inner)]
    }
    try deepest.encode(into: &atLimit)
    #expect(try AMQPTable.decode(from: &atLimit) == deepest)

    var beyond = ByteBuffer()
    let beyondLimit: AMQPTable = ["t": .table(deepest)]
    try beyondLimit.encode(into: &beyond)
    let error = #expect(throws: AMQPProtocolError.self) { try AMQPTable.decode(from: &beyond) }
    #expect(error?.code == .nestingTooDeep)
    #expect(beyond.readerIndex == 0)

    var arrays = ByteBuffer()
    try nested(AMQPTable.maximumNestingDepth * 2).encode(into: &arrays)
    let arrayError = #expect(throws: AMQPProtocolError.self) { try AMQPTable.decode(from: &arrays) }
    #expect(arrayError?.code == .nestingTooDeep)
  }
}
