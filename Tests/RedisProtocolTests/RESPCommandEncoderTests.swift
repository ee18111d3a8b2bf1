import NIOCore
import RedisProtocol
import Testing

@Suite struct RESPCommandEncoderTests {
  func encode(_ arguments: [RESPArgument]) -> String {
    var encoder = RESPCommandEncoder()
    var buffer = ByteBuffer()
    encoder.encode(arguments, into: &buffer)
    return wire(buffer)
  }

  @Test func encodesACommandAsAnArrayOfBulkStrings() {
    #expect(
      encode(["SET", "key", "value", "EX", 10])
        == "*5\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n$2\r\nEX\r\n$2\r\n10\r\n")
  }

  @Test func countsStringLengthsInUTF8Bytes() {
    #expect(encode(["SET", "k", "héllo 👋"]) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$11\r\nhéllo 👋\r\n")
  }

  @Test func writesIntegersAsDecimalText() {
    #expect(encode([RESPArgument(0)]) == "*1\r\n$1\r\n0\r\n")
    #expect(encode([RESPArgument(-42)]) == "*1\r\n$3\r\n-42\r\n")
    #expect(encode([RESPArgument(Int64.max)]) == "*1\r\n$19\r\n9223372036854775807\r\n")
    #expect(encode([RESPArgument(Int64.min)]) == "*1\r\n$20\r\n-9223372036854775808\r\n")
    #expect(encode([RESPArgument(1_000_000_000)]) == "*1\r\n$10\r\n1000000000\r\n")
  }

  @Test func writesDoublesInTheFormRedisParses() {
    #expect(encode([RESPArgument(1.5)]) == "*1\r\n$3\r\n1.5\r\n")
    #expect(encode([RESPArgument(-0.25)]) == "*1\r\n$5\r\n-0.25\r\n")
    #expect(encode([RESPArgument(Double.infinity)]) == "*1\r\n$3\r\ninf\r\n")
    #expect(encode([RESPArgument(-Double.infinity)]) == "*1\r\n$4\r\n-inf\r\n")
  }

  @Test func sendsBinaryArgumentsVerbatim() {
    let bytes: [UInt8] = [0x00, 0x0D, 0x0A, 0xFF]
    var buffer = ByteBuffer(string: "ignored")
    buffer.moveReaderIndex(forwardBy: 7)
    buffer.writeBytes(bytes)
    var encoder = RESPCommandEncoder()
    var output = ByteBuffer()
    encoder.encode([RESPArgument(bytes), RESPArgument(buffer)], into: &output)
    let header = Array("*2\r\n$4\r\n".utf8)
    let separator = Array("\r\n$4\r\n".utf8)
    #expect(Array(output.readableBytesView) == header + bytes + separator + bytes + [0x0D, 0x0A])
    #expect(buffer.readableBytes == 4)
  }

  @Test func encodesEmptyArgumentsAndEmptyCommands() {
    #expect(encode(["ECHO", ""]) == "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")
    #expect(encode([]) == "*0\r\n")
  }

  @Test func literalsKeepTheirKindSoTheCommandNameCanBeReadBack() {
    let arguments: [RESPArgument] = ["GET", 10]
    guard case .string("GET") = arguments[0], case .integer(10) = arguments[1] else {
      Issue.record("literals must become .string and .integer")
      return
    }
  }

  @Test func acceptsInterpolatedStrings() {
    let id = 7
    #expect(encode(["GET", "user:\(id)"]) == "*2\r\n$3\r\nGET\r\n$6\r\nuser:7\r\n")
  }

  @Test func reusesTheBufferWithoutGrowingIt() {
    var encoder = RESPCommandEncoder()
    var buffer = ByteBuffer()
    encoder.encode(["SET", "key", "value"], into: &buffer)
    let capacity = buffer.capacity
    for round in 0..<100 {
      buffer.clear()
      encoder.encode(["SET", "key", RESPArgument(round % 10)], into: &buffer)
      #expect(wire(buffer) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$1\r\n\(round % 10)\r\n")
    }
    #expect(buffer.capacity == capacity)
  }

  @Test func appendsSoCommandsCanBePipelined() {
    var encoder = RESPCommandEncoder()
    var buffer = ByteBuffer()
    encoder.encode(["PING"], into: &buffer)
    encoder.encode(["GET", "a"], into: &buffer)
    #expect(wire(buffer) == "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
  }

  @Test func theServerSideDecodesCommandsIntoTheirArguments() throws {
    var encoder = RESPCommandEncoder()
    var buffer = ByteBuffer()
    encoder.encode(["HSET", "h", "f", 12, RESPArgument(0.5), RESPArgument([0xFF])], into: &buffer)
    var decoder = RESPDecoder()
    let value = try #require(try decoder.decode(buffer: &buffer))
    #expect(
      value
        == .array([
          .blobString(ByteBuffer(string: "HSET")), .blobString(ByteBuffer(string: "h")),
          .blobString(ByteBuffer(string: "f")), .blobString(ByteBuffer(string: "12")),
          .blobString(ByteBuffer(string: "0.5")), .blobString(ByteBuffer(bytes: [0xFF])),
        ]))
  }
}
