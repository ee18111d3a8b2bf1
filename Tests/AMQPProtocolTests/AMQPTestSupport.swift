import AMQPProtocol
import NIOCore
import Testing

/// The bytes written in `hex`, which may group digits with spaces for readability.
func hex(_ hex: String) -> [UInt8] {
  let digits = hex.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
  precondition(digits.count.isMultiple(of: 2), "odd number of hex digits in \(hex)")
  return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// The UTF-8 bytes of `text`, for spelling out string arguments in expected wire bytes.
func ascii(_ text: String) -> [UInt8] {
  Array(text.utf8)
}

/// The readable bytes of `buffer`.
func bytes(_ buffer: ByteBuffer) -> [UInt8] {
  Array(buffer.readableBytesView)
}

/// The wire form of `frames`, written by an encoder with the given limit.
func encoded(_ frames: [AMQPFrame], maximumFrameSize: UInt32 = 131_072) throws -> ByteBuffer {
  let encoder = AMQPFrameEncoder(maximumFrameSize: maximumFrameSize)
  var buffer = ByteBuffer()
  for frame in frames {
    try encoder.encode(frame, into: &buffer)
  }
  return buffer
}

/// Decodes frames until the decoder asks for more data.
func decodeAvailable(_ buffer: inout ByteBuffer, with decoder: inout AMQPFrameDecoder) throws -> [AMQPFrame] {
  var frames: [AMQPFrame] = []
  while let frame = try decoder.decode(buffer: &buffer) {
    frames.append(frame)
  }
  return frames
}

/// Decodes every frame in `bytes`, which must end on a frame boundary.
func decodeAll(_ bytes: [UInt8], maximumFrameSize: UInt32 = 131_072) throws -> [AMQPFrame] {
  var decoder = AMQPFrameDecoder(maximumFrameSize: maximumFrameSize)
  var buffer = ByteBuffer(bytes: bytes)
  let frames = try decodeAvailable(&buffer, with: &decoder)
  guard buffer.readableBytes == 0 else {
    throw LeftoverBytes(count: buffer.readableBytes)
  }
  return frames
}

/// Raised by ``decodeAll(_:maximumFrameSize:)`` when the input ends inside a frame.
struct LeftoverBytes: Error {
  var count: Int
}

/// The code of the error the decoder reports for `bytes`, or `nil` if it throws nothing; also
/// expects the failure to leave the reader index at the start of the failing frame.
func decodeError(
  _ bytes: [UInt8], maximumFrameSize: UInt32 = 131_072, sourceLocation: SourceLocation = #_sourceLocation
) -> AMQPProtocolError.Code? {
  var decoder = AMQPFrameDecoder(maximumFrameSize: maximumFrameSize)
  var buffer = ByteBuffer(bytes: bytes)
  var frameStart = buffer.readerIndex
  do {
    while try decoder.decode(buffer: &buffer) != nil {
      frameStart = buffer.readerIndex
    }
    return nil
  } catch {
    #expect(buffer.readerIndex == frameStart, "a failed decode moved the reader index", sourceLocation: sourceLocation)
    return error.code
  }
}

/// A frame around `payload` with a correct header and frame end, for handcrafting bad payloads.
func rawFrame(type: UInt8 = 1, channel: UInt16 = 1, _ payload: [UInt8]) -> [UInt8] {
  var buffer = ByteBuffer()
  buffer.writeInteger(type)
  buffer.writeInteger(channel)
  buffer.writeInteger(UInt32(payload.count))
  buffer.writeBytes(payload)
  buffer.writeInteger(UInt8(0xCE))
  return bytes(buffer)
}

/// A small deterministic generator, so that the randomised tests fail reproducibly.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}
