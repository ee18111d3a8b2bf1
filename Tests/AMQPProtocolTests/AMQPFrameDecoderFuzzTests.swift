import AMQPProtocol
import NIOCore
import Testing

@Suite struct AMQPFrameDecoderFuzzTests {
  /// Every method, followed by a message with properties and a two-frame body.
  static func validStream() throws -> [UInt8] {
    var frames = AMQPMethodRoundTripTests.allMethods.map { AMQPFrame.method(channel: 1, $0) }
    frames += [
      .header(channel: 1, AMQPContentHeader(bodySize: 6, properties: AMQPContentHeaderTests.allProperties)),
      .body(channel: 1, ByteBuffer(string: "abc")),
      .body(channel: 1, ByteBuffer(string: "def")),
      .heartbeat,
    ]
    return bytes(try encoded(frames))
  }

  /// What decoding `wire` produces: the frames before the first error, and the error's code.
  struct Outcome: Equatable {
    var frames: [AMQPFrame] = []
    var error: AMQPProtocolError.Code?
    var leftover = 0
  }

  /// Decodes `wire` delivered in chunks ending at `cuts`, checking that every decoded frame
  /// consumed bytes so the loop cannot spin.
  static func decode(_ wire: [UInt8], cuts: [Int], maximumFrameSize: UInt32) -> Outcome {
    var decoder = AMQPFrameDecoder(maximumFrameSize: maximumFrameSize)
    var buffer = ByteBuffer()
    var outcome = Outcome()
    var delivered = 0
    for cut in cuts + [wire.count] where cut >= delivered {
      buffer.writeBytes(wire[delivered..<cut])
      delivered = cut
      do {
        while true {
          let before = buffer.readerIndex
          guard let frame = try decoder.decode(buffer: &buffer) else { break }
          #expect(buffer.readerIndex > before)
          outcome.frames.append(frame)
        }
      } catch {
        outcome.error = error.code
        return outcome
      }
    }
    outcome.leftover = buffer.readableBytes
    return outcome
  }

  @Test func corruptedAndTruncatedStreamsNeverCrashAndDecodeTheSameInChunks() throws {
    var random = SplitMix64(state: 0x5EED_0A3F_0091)
    let valid = try Self.validStream()
    var errors: [AMQPProtocolError.Code: Int] = [:]

    for _ in 0..<3000 {
      var wire = valid
      switch Int.random(in: 0..<5, using: &random) {
      case 0:
        for _ in 0..<Int.random(in: 1...4, using: &random) {
          wire[Int.random(in: 0..<wire.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
      case 1:
        wire.removeLast(Int.random(in: 1..<wire.count, using: &random))
      case 2:
        wire.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...wire.count, using: &random))
      case 3:
        let start = Int.random(in: 0..<wire.count, using: &random)
        wire.removeSubrange(start..<min(wire.count, start + Int.random(in: 1...16, using: &random)))
      default:
        let position = Int.random(in: 0..<wire.count, using: &random)
        let bit = UInt8(1) << UInt8.random(in: 0...7, using: &random)
        wire[position] ^= bit
      }
      let limit: UInt32 = [8, 64, 4096, 131_072, .max].randomElement(using: &random)!
      let oneShot = Self.decode(wire, cuts: [], maximumFrameSize: limit)
      let cuts = (0..<Int.random(in: 1...6, using: &random)).map { _ in Int.random(in: 0...wire.count, using: &random) }
      #expect(Self.decode(wire, cuts: cuts.sorted(), maximumFrameSize: limit) == oneShot)
      if let code = oneShot.error {
        errors[code, default: 0] += 1
      }
    }
    // The mutations must actually reach the decoder's checks, not just shorten the stream.
    #expect(errors[.invalidFrameEnd, default: 0] > 0)
    #expect(errors[.unknownFrameType, default: 0] > 0)
    #expect(errors[.frameTooLarge, default: 0] > 0)
    #expect(errors[.truncatedPayload, default: 0] > 0)
  }

  @Test func randomBytesNeverCrash() {
    var random = SplitMix64(state: 42)
    for _ in 0..<3000 {
      let length = Int.random(in: 0...64, using: &random)
      var wire = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
      if !wire.isEmpty {
        // Plausible frame types get past the first check far more often than uniform bytes do.
        wire[0] = [1, 2, 3, 8, wire[0]].randomElement(using: &random)!
      }
      _ = Self.decode(wire, cuts: [], maximumFrameSize: 131_072)
    }
  }

  @Test func everyTruncationOfEveryMethodPayloadIsReportedAsTruncated() throws {
    for method in AMQPMethodRoundTripTests.allMethods {
      var payload = ByteBuffer()
      try method.encode(into: &payload)
      let full = bytes(payload)
      for length in 0..<full.count {
        #expect(decodeError(rawFrame(Array(full[..<length]))) == .truncatedPayload, "\(method) cut to \(length)")
      }
    }
  }
}
