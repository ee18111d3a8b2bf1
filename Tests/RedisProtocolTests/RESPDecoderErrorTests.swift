import NIOCore
import RedisProtocol
import Testing

@Suite struct RESPDecoderErrorTests {
  struct Malformed: Sendable, CustomTestStringConvertible {
    var wire: String
    var code: RESPParseError.Code
    var testDescription: String { "\(wire.debugDescription) → \(code)" }
  }

  static let malformed: [Malformed] = [
    Malformed(wire: "?x\r\n", code: .invalidType),
    Malformed(wire: "@", code: .invalidType),
    Malformed(wire: "OK\r\n", code: .invalidType),
    Malformed(wire: "*1\r\nX\r\n", code: .invalidType),
    Malformed(wire: "$abc\r\n", code: .invalidLength),
    Malformed(wire: "$\r\n", code: .invalidLength),
    Malformed(wire: "$+3\r\nabc\r\n", code: .invalidLength),
    Malformed(wire: "$-2\r\n", code: .invalidLength),
    Malformed(wire: "$1 \r\na\r\n", code: .invalidLength),
    Malformed(wire: "*x\r\n", code: .invalidLength),
    Malformed(wire: "*-5\r\n", code: .invalidLength),
    Malformed(wire: "%-1\r\n", code: .invalidLength),
    Malformed(wire: "~-1\r\n", code: .invalidLength),
    Malformed(wire: "!-1\r\n", code: .invalidLength),
    Malformed(wire: "$99999999999999999999\r\n", code: .invalidLength),
    Malformed(wire: "*123456789012345678901", code: .invalidLength),
    Malformed(wire: ":12a\r\n", code: .invalidInteger),
    Malformed(wire: ":\r\n", code: .invalidInteger),
    Malformed(wire: ":-\r\n", code: .invalidInteger),
    Malformed(wire: ":1.5\r\n", code: .invalidInteger),
    Malformed(wire: ":9223372036854775808\r\n", code: .invalidInteger),
    Malformed(wire: ":-9223372036854775809\r\n", code: .invalidInteger),
    Malformed(wire: ":123456789012345678901", code: .invalidInteger),
    Malformed(wire: "+OK\rX", code: .missingCRLF),
    Malformed(wire: "+OK\n", code: .missingCRLF),
    Malformed(wire: "$3\r\nabcXY", code: .missingCRLF),
    Malformed(wire: "$3\r\nabcd\r\n", code: .missingCRLF),
    Malformed(wire: "_x\r\n", code: .missingCRLF),
    Malformed(wire: ",abc\r\n", code: .invalidDouble),
    Malformed(wire: ",\r\n", code: .invalidDouble),
    Malformed(wire: ",0x1p3\r\n", code: .invalidDouble),
    Malformed(wire: ",infinity\r\n", code: .invalidDouble),
    Malformed(wire: ",1e\r\n", code: .invalidDouble),
    Malformed(wire: "#x\r\n", code: .invalidBoolean),
    Malformed(wire: "#\r\n", code: .invalidBoolean),
    Malformed(wire: "#tr", code: .invalidBoolean),
    Malformed(wire: "(12a\r\n", code: .invalidBigNumber),
    Malformed(wire: "(\r\n", code: .invalidBigNumber),
    Malformed(wire: "(-\r\n", code: .invalidBigNumber),
    Malformed(wire: "=3\r\ntxt\r\n", code: .invalidVerbatimString),
    Malformed(wire: "=5\r\ntxtab\r\n", code: .invalidVerbatimString),
    Malformed(wire: "$?\r\n", code: .unsupported),
    Malformed(wire: "*?\r\n", code: .unsupported),
    Malformed(wire: "%?\r\n", code: .unsupported),
    Malformed(wire: ";4\r\nabcd\r\n", code: .unsupported),
    Malformed(wire: ".\r\n", code: .unsupported),
    Malformed(wire: "*3\r\n:1\r\n#maybe\r\n", code: .invalidBoolean),
    Malformed(wire: "%1\r\n+key\r\n:x\r\n", code: .invalidInteger),
  ]

  @Test(arguments: malformed)
  func malformedInputIsRejectedWithItsCode(_ example: Malformed) {
    #expect(parseError(example.wire)?.code == example.code)
  }

  @Test func aFailedDecodeLeavesTheReaderIndexAlone() {
    var buffer = ByteBuffer(string: "*2\r\n:1\r\n:oops\r\n")
    var decoder = RESPDecoder()
    #expect(throws: RESPParseError(code: .invalidInteger, offset: 9)) {
      try decoder.decode(buffer: &buffer)
    }
    #expect(buffer.readerIndex == 0)
  }

  @Test func theDefaultDepthLimitAllowsSixtyFourLevels() throws {
    #expect(try decodeAll(wire(encoded(nestedArrays(64)))) == [nestedArrays(64)])
    #expect(parseError(wire(encoded(nestedArrays(65))))?.code == .tooDeep)
  }

  @Test func excessiveNestingFailsBeforeTheRestArrives() {
    #expect(parseError(String(repeating: "*1\r\n", count: 65))?.code == .tooDeep)
    #expect(parseError(String(repeating: "*1\r\n", count: 64)) == nil)
  }

  @Test func everyAggregateKindCountsTowardsTheDepth() {
    let decoder = RESPDecoder(maximumDepth: 2)
    #expect(parseError("*1\r\n%1\r\n:1\r\n:2\r\n", decoder: decoder) == nil)
    #expect(parseError("*1\r\n%1\r\n~0\r\n:2\r\n", decoder: decoder)?.code == .tooDeep)
    #expect(parseError("~1\r\n>1\r\n*0\r\n", decoder: decoder)?.code == .tooDeep)
    #expect(parseError(">1\r\n~1\r\n%0\r\n", decoder: decoder)?.code == .tooDeep)
    #expect(parseError("|1\r\n+a\r\n+b\r\n*1\r\n*0\r\n", decoder: decoder)?.code == .tooDeep)
  }

  @Test func aChainOfAttributesIsBoundedByTheDepthLimit() {
    let decoder = RESPDecoder(maximumDepth: 3)
    let attribute = "|1\r\n+a\r\n+b\r\n"
    #expect(parseError(String(repeating: attribute, count: 3) + ":1\r\n", decoder: decoder) == nil)
    #expect(parseError(String(repeating: attribute, count: 4) + ":1\r\n", decoder: decoder)?.code == .tooDeep)
    #expect(parseError(String(repeating: attribute, count: 100_000)) != nil)
  }

  @Test func aZeroDepthLimitAllowsOnlyScalars() {
    let decoder = RESPDecoder(maximumDepth: 0)
    #expect(parseError(":1\r\n", decoder: decoder) == nil)
    #expect(parseError("*0\r\n", decoder: decoder)?.code == .tooDeep)
  }

  @Test func oversizedBlobsFailAsSoonAsTheirLengthIsKnown() {
    let decoder = RESPDecoder(maximumBlobLength: 10)
    #expect(parseError("$10\r\n0123456789\r\n", decoder: decoder) == nil)
    for header in ["$11\r\n", "!11\r\n", "=11\r\n", "*1\r\n$11\r\n"] {
      #expect(parseError(header, decoder: decoder)?.code == .tooLarge, "\(header.debugDescription)")
    }
  }

  @Test func oversizedLinesFailWithoutWaitingForTheirEnd() {
    let decoder = RESPDecoder(maximumBlobLength: 10)
    #expect(parseError("+0123456789\r\n", decoder: decoder) == nil)
    for prefix in ["+", "-", "("] {
      #expect(parseError(prefix + "01234567890", decoder: decoder)?.code == .tooLarge, "\(prefix)")
    }
  }

  @Test func theDefaultBlobLimitIsFiveHundredTwelveMebibytes() throws {
    #expect(parseError("$536870913\r\n")?.code == .tooLarge)
    var buffer = ByteBuffer(string: "$536870912\r\n")
    var decoder = RESPDecoder()
    #expect(try decoder.decode(buffer: &buffer) == nil)
  }

  @Test func hugeAggregateCountsDoNotReserveMemoryUpFront() throws {
    var buffer = ByteBuffer(string: "*9223372036854775807\r\n:1\r\n")
    var decoder = RESPDecoder()
    #expect(try decoder.decode(buffer: &buffer) == nil)
  }

  @Test func randomlyCorruptedStreamsNeverCrashTheDecoder() {
    var stream = ByteBuffer()
    for value in RESPRoundTripTests.aggregates {
      value.encode(into: &stream)
    }
    let original = Array(stream.readableBytesView)
    var generator = SplitMix64(state: 0x5EED)
    let interesting: [UInt8] = Array("\r\n-?:$*%~>|#,(_=!0123456789".utf8) + [0x00, 0xFF]
    for _ in 0..<2_000 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...4, using: &generator) {
        let index = Int.random(in: 0..<bytes.count, using: &generator)
        bytes[index] =
          Bool.random(using: &generator)
          ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
      }
      bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator) / 4)
      var buffer = ByteBuffer(bytes: bytes)
      var decoder = RESPDecoder(maximumDepth: 8, maximumBlobLength: 1024)
      do {
        while try decoder.decode(buffer: &buffer) != nil {}
      } catch {
        #expect(error is RESPParseError)
      }
      #expect(buffer.readerIndex <= bytes.count)
    }
  }
}
