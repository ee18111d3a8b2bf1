import NIOCore
import RedisProtocol
import Testing

@Suite struct RESPRoundTripTests {
  static let binary = ByteBuffer(bytes: [0x00, 0x0D, 0x0A, 0xFF, 0x24, 0x2A, 0x0D, 0x0A, 0x80])

  static let scalars: [RESPValue] = [
    .simpleString("OK"),
    .simpleString(""),
    .blobString(ByteBuffer(string: "hello world")),
    .blobString(ByteBuffer(string: "line one\r\nline two\r\n")),
    .blobString(binary),
    .blobString(ByteBuffer()),
    .simpleError("ERR unknown command 'FOO'"),
    .blobError("SYNTAX invalid\r\nsyntax"),
    .blobError(""),
    .integer(0),
    .integer(-1),
    .integer(.max),
    .integer(.min),
    .double(1.23),
    .double(-0.5),
    .double(0),
    .double(1e-5),
    .double(6.02e23),
    .double(.greatestFiniteMagnitude),
    .double(.infinity),
    .double(-.infinity),
    .bigNumber("3492890328409238509324850943850943825024385"),
    .bigNumber("-3492890328409238509324850943850943825024385"),
    .boolean(true),
    .boolean(false),
    .null,
    .verbatimString(format: "txt", text: "Some string"),
    .verbatimString(format: "mkd", text: "# Title\r\n\r\nbody"),
    .verbatimString(format: "txt", text: ""),
  ]

  static let aggregates: [RESPValue] = [
    .array([]),
    .map([]),
    .set([]),
    .push([]),
    .attribute([], .null),
    .array(scalars),
    .set([.integer(1), .simpleString("a"), .blobString(binary)]),
    .map([
      RESPPair(key: .simpleString("first"), value: .integer(1)),
      RESPPair(key: .blobString(binary), value: .array([.null, .boolean(true)])),
      RESPPair(key: .array([.integer(1), .integer(2)]), value: .map([])),
    ]),
    .array([
      .map([
        RESPPair(
          key: .simpleString("members"),
          value: .set([.array([.double(0.5), .map([RESPPair(key: .null, value: .set([.push([.integer(7)])]))])])])
        ),
        RESPPair(key: .simpleString("empty"), value: .array([.array([]), .map([]), .set([])])),
      ]),
      .set([.map([RESPPair(key: .integer(1), value: .array([.set([.bigNumber("1")])]))])]),
    ]),
    .push([.simpleString("message"), .simpleString("channel"), .blobString(ByteBuffer(string: "hello"))]),
    .push([.blobString(ByteBuffer(string: "invalidate")), .array([.blobString(ByteBuffer(string: "key"))])]),
    .attribute(
      [RESPPair(key: .simpleString("ttl"), value: .integer(3600))],
      .array([.integer(1), .attribute([RESPPair(key: .simpleString("nested"), value: .boolean(true))], .null)])
    ),
    .attribute([RESPPair(key: .simpleString("a"), value: .integer(1))], .push([.simpleString("pubsub")])),
  ]

  @Test(arguments: scalars + aggregates)
  func decodingTheEncodingGivesBackTheValue(_ value: RESPValue) throws {
    var buffer = encoded(value)
    var decoder = RESPDecoder()
    let decoded = try #require(try decoder.decode(buffer: &buffer))
    #expect(decoded == value)
    #expect(buffer.readableBytes == 0)
  }

  @Test func notANumberSurvivesTheRoundTrip() throws {
    var buffer = encoded(.double(.nan))
    #expect(wire(buffer) == ",nan\r\n")
    var decoder = RESPDecoder()
    guard case .double(let value) = try decoder.decode(buffer: &buffer) else {
      Issue.record("expected a double")
      return
    }
    #expect(value.isNaN)
  }

  @Test func deepNestingOfEveryAggregateKindRoundTrips() throws {
    var value = RESPValue.blobString(Self.binary)
    for level in 0..<60 {
      switch level % 5 {
      case 0: value = .array([value, .integer(Int64(level))])
      case 1: value = .map([RESPPair(key: .integer(Int64(level)), value: value)])
      case 2: value = .set([value])
      case 3: value = .push([.simpleString("level"), value])
      default: value = .attribute([RESPPair(key: .simpleString("level"), value: .integer(Int64(level)))], value)
      }
    }
    var buffer = encoded(value)
    var decoder = RESPDecoder()
    #expect(try decoder.decode(buffer: &buffer) == value)
    #expect(buffer.readableBytes == 0)
  }

  @Test func manyValuesInOneBufferComeBackInOrder() throws {
    var buffer = ByteBuffer()
    for value in Self.scalars + Self.aggregates {
      value.encode(into: &buffer)
    }
    var decoder = RESPDecoder()
    #expect(try decodeAvailable(&buffer, with: &decoder) == Self.scalars + Self.aggregates)
    #expect(buffer.readableBytes == 0)
  }
}
