import NIOCore
import RedisProtocol
import Testing

@Suite struct RESPValueEncodingTests {
  struct Example: Sendable, CustomTestStringConvertible {
    var value: RESPValue
    var wire: String
    var testDescription: String { wire.debugDescription }
  }

  static let examples: [Example] = [
    Example(value: .simpleString("OK"), wire: "+OK\r\n"),
    Example(value: .blobString(ByteBuffer(string: "a\r\nb")), wire: "$4\r\na\r\nb\r\n"),
    Example(value: .simpleError("ERR no"), wire: "-ERR no\r\n"),
    Example(value: .blobError("SYNTAX invalid syntax"), wire: "!21\r\nSYNTAX invalid syntax\r\n"),
    Example(value: .integer(-42), wire: ":-42\r\n"),
    Example(value: .integer(.min), wire: ":-9223372036854775808\r\n"),
    Example(value: .integer(.max), wire: ":9223372036854775807\r\n"),
    Example(value: .double(1.23), wire: ",1.23\r\n"),
    Example(value: .double(10), wire: ",10.0\r\n"),
    Example(value: .double(1e-5), wire: ",1e-05\r\n"),
    Example(value: .double(-.infinity), wire: ",-inf\r\n"),
    Example(value: .bigNumber("-12345678901234567890"), wire: "(-12345678901234567890\r\n"),
    Example(value: .boolean(false), wire: "#f\r\n"),
    Example(value: .null, wire: "_\r\n"),
    Example(value: .verbatimString(format: "txt", text: "héllo"), wire: "=10\r\ntxt:héllo\r\n"),
    Example(value: .array([.integer(1), .null]), wire: "*2\r\n:1\r\n_\r\n"),
    Example(value: .set([.boolean(true)]), wire: "~1\r\n#t\r\n"),
    Example(value: .push([.simpleString("pong")]), wire: ">1\r\n+pong\r\n"),
    Example(value: .map([RESPPair(key: .simpleString("k"), value: .map([]))]), wire: "%1\r\n+k\r\n%0\r\n"),
    Example(
      value: .attribute([RESPPair(key: .simpleString("ttl"), value: .integer(5))], .integer(1)),
      wire: "|1\r\n+ttl\r\n:5\r\n:1\r\n"),
  ]

  @Test(arguments: examples)
  func writesTheRESP3WireForm(_ example: Example) {
    #expect(wire(encoded(example.value)) == example.wire)
  }

  @Test func appendsAfterExistingBytes() {
    var buffer = ByteBuffer(string: "+first\r\n")
    RESPValue.integer(2).encode(into: &buffer)
    #expect(wire(buffer) == "+first\r\n:2\r\n")
  }
}
