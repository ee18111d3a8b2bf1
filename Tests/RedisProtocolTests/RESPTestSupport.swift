import NIOCore
import RedisProtocol

/// The wire form of `value`.
func encoded(_ value: RESPValue) -> ByteBuffer {
  var buffer = ByteBuffer()
  value.encode(into: &buffer)
  return buffer
}

/// The text of the readable bytes, for readable expectations on ASCII output.
func wire(_ buffer: ByteBuffer) -> String {
  String(decoding: buffer.readableBytesView, as: UTF8.self)
}

/// Decodes values until the decoder asks for more data.
func decodeAvailable(_ buffer: inout ByteBuffer, with decoder: inout RESPDecoder) throws -> [RESPValue] {
  var values: [RESPValue] = []
  while let value = try decoder.decode(buffer: &buffer) {
    values.append(value)
  }
  return values
}

/// Decodes every value in `text`, which must end on a value boundary.
func decodeAll(_ text: String, decoder: RESPDecoder = RESPDecoder()) throws -> [RESPValue] {
  var decoder = decoder
  var buffer = ByteBuffer(string: text)
  return try decodeAvailable(&buffer, with: &decoder)
}

/// The error the decoder reports for `text`, or `nil` if it throws nothing.
func parseError(_ text: String, decoder: RESPDecoder = RESPDecoder()) -> RESPParseError? {
  var decoder = decoder
  var buffer = ByteBuffer(string: text)
  do {
    _ = try decodeAvailable(&buffer, with: &decoder)
    return nil
  } catch {
    return error as? RESPParseError
  }
}

/// `count` aggregates nested inside each other around a single integer.
func nestedArrays(_ count: Int) -> RESPValue {
  (0..<count).reduce(RESPValue.integer(1)) { inner, _ in .array([inner]) }
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
