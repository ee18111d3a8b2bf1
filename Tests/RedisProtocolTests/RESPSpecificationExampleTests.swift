import NIOCore
import RedisProtocol
import Testing

/// The examples from the RESP3 specification, decoded byte for byte.
@Suite struct RESPSpecificationExampleTests {
  struct Example: Sendable, CustomTestStringConvertible {
    var wire: String
    var value: RESPValue
    /// RESP2 forms decode into RESP3 values, which encode in their RESP3 form instead.
    var isCanonical = true
    var testDescription: String { wire.debugDescription }
  }

  static let examples: [Example] = [
    Example(wire: "$11\r\nhello world\r\n", value: .blobString(ByteBuffer(string: "hello world"))),
    Example(wire: "$0\r\n\r\n", value: .blobString(ByteBuffer())),
    Example(wire: "+hello world\r\n", value: .simpleString("hello world")),
    Example(wire: "-ERR unknown command\r\n", value: .simpleError("ERR unknown command")),
    Example(wire: ":1234\r\n", value: .integer(1234)),
    Example(wire: ":-1234\r\n", value: .integer(-1234)),
    Example(wire: "*3\r\n:1\r\n:2\r\n:3\r\n", value: .array([.integer(1), .integer(2), .integer(3)])),
    Example(
      wire: "*2\r\n*3\r\n:1\r\n$5\r\nhello\r\n:2\r\n#f\r\n",
      value: .array([.array([.integer(1), .blobString(ByteBuffer(string: "hello")), .integer(2)]), .boolean(false)])),
    Example(
      wire: "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
      value: .map([
        RESPPair(key: .simpleString("first"), value: .integer(1)),
        RESPPair(key: .simpleString("second"), value: .integer(2)),
      ])),
    Example(
      wire: "~5\r\n+orange\r\n+apple\r\n#t\r\n:100\r\n:999\r\n",
      value: .set([.simpleString("orange"), .simpleString("apple"), .boolean(true), .integer(100), .integer(999)])),
    Example(wire: ",1.23\r\n", value: .double(1.23)),
    Example(wire: ",10\r\n", value: .double(10), isCanonical: false),
    Example(wire: ",inf\r\n", value: .double(.infinity)),
    Example(wire: ",-inf\r\n", value: .double(-.infinity)),
    Example(wire: ",1.5e3\r\n", value: .double(1500), isCanonical: false),
    Example(
      wire: "(3492890328409238509324850943850943825024385\r\n",
      value: .bigNumber("3492890328409238509324850943850943825024385")),
    Example(wire: "#t\r\n", value: .boolean(true)),
    Example(wire: "#f\r\n", value: .boolean(false)),
    Example(wire: "_\r\n", value: .null),
    Example(wire: "=15\r\ntxt:Some string\r\n", value: .verbatimString(format: "txt", text: "Some string")),
    Example(wire: "!21\r\nSYNTAX invalid syntax\r\n", value: .blobError("SYNTAX invalid syntax")),
    Example(
      wire: "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
      value: .attribute(
        [
          RESPPair(
            key: .simpleString("key-popularity"),
            value: .map([
              RESPPair(key: .blobString(ByteBuffer(string: "a")), value: .double(0.1923)),
              RESPPair(key: .blobString(ByteBuffer(string: "b")), value: .double(0.0012)),
            ]))
        ],
        .array([.integer(2_039_123), .integer(9_543_892)]))),
    Example(
      wire: ">3\r\n+message\r\n+channel\r\n+hello\r\n",
      value: .push([.simpleString("message"), .simpleString("channel"), .simpleString("hello")])),
    Example(wire: "$-1\r\n", value: .null, isCanonical: false),
    Example(wire: "*-1\r\n", value: .null, isCanonical: false),
    Example(wire: "*0\r\n", value: .array([])),
  ]

  @Test(arguments: examples)
  func decodesTheExample(_ example: Example) throws {
    var buffer = ByteBuffer(string: example.wire)
    var decoder = RESPDecoder()
    let value = try #require(try decoder.decode(buffer: &buffer))
    #expect(value == example.value)
    #expect(buffer.readableBytes == 0)
  }

  @Test(arguments: examples.filter(\.isCanonical))
  func encodesToTheExampleBytes(_ example: Example) {
    #expect(wire(encoded(example.value)) == example.wire)
  }

  @Test func theAttributeAnnotatesTheArrayThatFollowsIt() throws {
    let values = try decodeAll(
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n")
    let value = try #require(values.first)
    #expect(values.count == 1)
    #expect(value.array == [.integer(2_039_123), .integer(9_543_892)])
  }
}
