import NIOCore
import RedisProtocol
import Testing

/// Replies arrive in arbitrary pieces, so the decoder must wait for whole values and never
/// consume part of one.
@Suite struct RESPDecoderIncrementalTests {
  static let values: [RESPValue] = [
    .blobString(ByteBuffer(bytes: [0x0D, 0x0A, 0x00, 0xFF, 0x0D])),
    .map([
      RESPPair(key: .simpleString("first"), value: .integer(-1)),
      RESPPair(key: .blobString(ByteBuffer(string: "second")), value: .set([.double(0.25), .bigNumber("-123")])),
    ]),
    .attribute(
      [RESPPair(key: .simpleString("key-popularity"), value: .double(0.1923))], .array([.integer(1), .null])),
    .push([.simpleString("message"), .simpleString("channel"), .verbatimString(format: "txt", text: "hi\r\n")]),
    .simpleError("ERR unknown command"),
    .boolean(true),
    .null,
    .array([]),
  ]

  static var stream: ByteBuffer {
    var buffer = ByteBuffer()
    for value in values {
      value.encode(into: &buffer)
    }
    return buffer
  }

  @Test(arguments: values)
  func everyStrictPrefixOfAValueDecodesToNothing(_ value: RESPValue) throws {
    let whole = encoded(value)
    for length in 0..<whole.readableBytes {
      var prefix = whole.getSlice(at: whole.readerIndex, length: length)!
      var decoder = RESPDecoder()
      #expect(try decoder.decode(buffer: &prefix) == nil, "prefix of \(length) bytes")
      #expect(prefix.readerIndex == 0)
      #expect(prefix.readableBytes == length)
    }
  }

  @Test func legacyNullsWaitForTheirLineEnd() throws {
    for whole in ["$-1\r\n", "*-1\r\n"] {
      for length in 0..<whole.utf8.count {
        var prefix = ByteBuffer(string: String(whole.utf8.prefix(length))!)
        var decoder = RESPDecoder()
        #expect(try decoder.decode(buffer: &prefix) == nil)
        #expect(prefix.readableBytes == length)
      }
    }
  }

  @Test func aStreamSplitAnywhereDecodesToTheSameValues() throws {
    let stream = Self.stream
    for split in 0...stream.readableBytes {
      var decoder = RESPDecoder()
      var buffer = stream.getSlice(at: 0, length: split)!
      var decoded = try decodeAvailable(&buffer, with: &decoder)
      let unread = buffer.readableBytes
      var rest = stream.getSlice(at: split, length: stream.readableBytes - split)!
      buffer.writeBuffer(&rest)
      decoded += try decodeAvailable(&buffer, with: &decoder)
      #expect(decoded == Self.values, "split at \(split), \(unread) bytes waiting")
      #expect(buffer.readableBytes == 0)
    }
  }

  @Test func feedingOneByteAtATimeYieldsEachValueAsSoonAsItIsComplete() throws {
    let stream = Self.stream
    var boundaries: Set<Int> = []
    var end = 0
    for value in Self.values {
      end += encoded(value).readableBytes
      boundaries.insert(end)
    }
    var decoder = RESPDecoder()
    var buffer = ByteBuffer()
    var decoded: [RESPValue] = []
    for (offset, byte) in stream.readableBytesView.enumerated() {
      buffer.writeInteger(byte)
      let before = buffer.readerIndex
      let values = try decodeAvailable(&buffer, with: &decoder)
      #expect(values.count == (boundaries.contains(offset + 1) ? 1 : 0), "after byte \(offset)")
      if values.isEmpty {
        #expect(buffer.readerIndex == before)
      }
      decoded += values
    }
    #expect(decoded == Self.values)
  }

  @Test func twoValuesInOneBufferDecodeOneAfterTheOther() throws {
    var buffer = ByteBuffer(string: "+OK\r\n:42\r\n+PART")
    var decoder = RESPDecoder()
    #expect(try decoder.decode(buffer: &buffer) == .simpleString("OK"))
    #expect(buffer.readerIndex == 5)
    #expect(try decoder.decode(buffer: &buffer) == .integer(42))
    #expect(try decoder.decode(buffer: &buffer) == nil)
    #expect(wire(buffer) == "+PART")
  }

  @Test func decodedBlobsStayValidAfterTheBufferIsReused() throws {
    var buffer = ByteBuffer(string: "$5\r\nhello\r\n")
    var decoder = RESPDecoder()
    let value = try decoder.decode(buffer: &buffer)
    buffer.clear()
    buffer.writeString("$5\r\nworld\r\n")
    #expect(value == .blobString(ByteBuffer(string: "hello")))
  }

  @Test func endOfInputInsideAValueIsReportedAsTruncated() throws {
    var buffer = ByteBuffer(string: "*2\r\n:1\r\n")
    var decoder = RESPDecoder()
    #expect(try decoder.decode(buffer: &buffer) == nil)
    let error = #expect(throws: RESPParseError.self) {
      try decoder.decodeLast(buffer: &buffer, seenEOF: true)
    }
    #expect(error?.code == .truncated)
  }

  @Test func endOfInputDecodesWhatIsCompleteAndThenStops() throws {
    var buffer = ByteBuffer(string: "+OK\r\n")
    var decoder = RESPDecoder()
    #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == .simpleString("OK"))
    #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
  }

  @Test func removingTheDecoderLeavesPartialBytesWithoutAnError() throws {
    var buffer = ByteBuffer(string: "$10\r\nabc")
    var decoder = RESPDecoder()
    #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: false) == nil)
    #expect(buffer.readableBytes == 8)
  }
}
