import AMQPProtocol
import NIOCore
import Testing

@Suite struct AMQPFrameDecoderErrorTests {
  struct Malformed: Sendable, CustomTestStringConvertible {
    var name: String
    var wire: [UInt8]
    var code: AMQPProtocolError.Code
    var testDescription: String { "\(name) → \(code)" }
  }

  static let malformed: [Malformed] = [
    Malformed(name: "frame type 4", wire: hex("04 0001 00000000 CE"), code: .unknownFrameType),
    Malformed(name: "frame type 0, first byte only", wire: [0], code: .unknownFrameType),
    Malformed(name: "frame type 'A' not followed by MQP", wire: ascii("AMx"), code: .unknownFrameType),
    Malformed(name: "heartbeat ending in 0x00", wire: hex("08 0000 00000000 00"), code: .invalidFrameEnd),
    Malformed(
      name: "method ending in 0xCD", wire: hex("01 0001 00000005 0014 000A 00 CD"), code: .invalidFrameEnd),
    Malformed(name: "payload one byte above the limit", wire: hex("03 0001 0001FFF9"), code: .frameTooLarge),
    Malformed(name: "size 0xFFFFFFFF", wire: hex("01 0001 FFFFFFFF"), code: .frameTooLarge),
    Malformed(name: "protocol header 0-9-1", wire: ascii("AMQP") + [0, 0, 9, 1], code: .protocolHeaderReceived),
    Malformed(name: "protocol header 1-0-0", wire: ascii("AMQP") + [0, 1, 0, 0], code: .protocolHeaderReceived),
    Malformed(name: "heartbeat on channel 1", wire: hex("08 0001 00000000 CE"), code: .invalidHeartbeat),
    Malformed(name: "heartbeat with payload", wire: hex("08 0000 00000001 00 CE"), code: .invalidHeartbeat),
    Malformed(name: "method of class 99", wire: rawFrame(hex("0063 000A")), code: .unknownClass),
    Malformed(
      name: "content header of class 61", wire: rawFrame(type: 2, hex("003D 0000 0000000000000000 0000")),
      code: .unknownClass),
    Malformed(name: "connection method 99", wire: rawFrame(hex("000A 0063")), code: .unknownMethod),
    Malformed(name: "channel method 30", wire: rawFrame(hex("0014 001E")), code: .unknownMethod),
    Malformed(name: "exchange method 41", wire: rawFrame(hex("0028 0029")), code: .unknownMethod),
    Malformed(name: "queue method 60", wire: rawFrame(hex("0032 003C")), code: .unknownMethod),
    Malformed(name: "basic method 81", wire: rawFrame(hex("003C 0051")), code: .unknownMethod),
    Malformed(name: "confirm method 12", wire: rawFrame(hex("0055 000C")), code: .unknownMethod),
    Malformed(name: "tx method 12", wire: rawFrame(hex("005A 000C")), code: .unknownMethod),
    Malformed(name: "method payload without method id", wire: rawFrame(hex("000A")), code: .truncatedPayload),
    Malformed(name: "empty method payload", wire: rawFrame([]), code: .truncatedPayload),
    Malformed(
      name: "tune-ok one byte short", wire: rawFrame(hex("000A 001F 07FF 00020000 00")), code: .truncatedPayload),
    Malformed(
      name: "short string past the payload", wire: rawFrame(hex("0014 0028 0000 05 6162")), code: .truncatedPayload),
    Malformed(
      name: "long string of 4 GiB", wire: rawFrame(hex("000A 0014 FFFFFFFF")), code: .truncatedPayload),
    Malformed(
      name: "table past the payload", wire: rawFrame(hex("0032 000A 0000 01 71 00 00000064")),
      code: .truncatedPayload),
    Malformed(
      name: "integer value cut by its table", wire: rawFrame(hex("0032 000A 0000 01 71 00 00000005 01 6B 49 0000")),
      code: .truncatedPayload),
    Malformed(name: "bits octet missing", wire: rawFrame(hex("003C 0050 0000000000000001")), code: .truncatedPayload),
    Malformed(
      name: "announced content type missing", wire: rawFrame(type: 2, hex("003C 0000 0000000000000005 8000")),
      code: .truncatedPayload),
    Malformed(
      name: "content header without flags", wire: rawFrame(type: 2, hex("003C 0000 00000000")), code: .truncatedPayload),
    Malformed(name: "qos-ok with an extra byte", wire: rawFrame(hex("003C 000B 00")), code: .trailingBytes),
    Malformed(
      name: "content header with an extra byte", wire: rawFrame(type: 2, hex("003C 0000 0000000000000000 0000 FF")),
      code: .trailingBytes),
    Malformed(
      name: "field type Z", wire: rawFrame(hex("0032 000A 0000 01 71 00 00000003 01 6B 5A")), code: .unknownFieldType),
    Malformed(
      name: "field type Z inside an array",
      wire: rawFrame(hex("0032 000A 0000 01 71 00 00000009 01 6B 41 00000002 56 5A")), code: .unknownFieldType),
    Malformed(
      name: "property continuation flag", wire: rawFrame(type: 2, hex("003C 0000 0000000000000000 0001 0000")),
      code: .invalidPropertyFlags),
    Malformed(
      name: "property flag bit 1", wire: rawFrame(type: 2, hex("003C 0000 0000000000000000 0002")),
      code: .invalidPropertyFlags),
  ]

  @Test(arguments: malformed)
  func malformedInputFailsWithItsCode(_ malformed: Malformed) {
    #expect(decodeError(malformed.wire) == malformed.code)
  }

  @Test(arguments: malformed)
  func malformedFrameAfterAGoodOneFailsOnlyOnceTheGoodOneIsConsumed(_ malformed: Malformed) throws {
    let good = bytes(try encoded([.heartbeat]))
    var decoder = AMQPFrameDecoder()
    var buffer = ByteBuffer(bytes: good + malformed.wire)
    #expect(try decoder.decode(buffer: &buffer) == .heartbeat)
    let error = #expect(throws: AMQPProtocolError.self) { try decoder.decode(buffer: &buffer) }
    #expect(error?.code == malformed.code)
    #expect(buffer.readerIndex == good.count)
  }

  @Test func incompleteProtocolHeaderWaitsForMoreBytes() {
    for length in 1..<8 {
      #expect(decodeError(Array(AMQPFrame.protocolHeader.prefix(length))) == nil)
    }
  }

  @Test func oversizedFrameIsRejectedFromItsHeaderAlone() {
    #expect(decodeError(hex("03 0001 00001001"), maximumFrameSize: 4096) == .frameTooLarge)
    #expect(decodeError(hex("03 0001 00000FF8"), maximumFrameSize: 4096) == nil)
  }

  @Test func limitBelowTheFrameOverheadRejectsEveryFrame() {
    #expect(decodeError(hex("08 0000 00000000 CE"), maximumFrameSize: 7) == .frameTooLarge)
    #expect(decodeError(hex("08 0000 00000000 CE"), maximumFrameSize: 8) == nil)
  }

  @Test func limitCanBeRaisedAfterTuning() throws {
    var decoder = AMQPFrameDecoder(maximumFrameSize: 4096)
    let body = AMQPFrame.body(channel: 1, ByteBuffer(repeating: 7, count: 10_000))
    var buffer = try encoded([body])
    #expect(throws: AMQPProtocolError.self) { try decoder.decode(buffer: &buffer) }
    decoder.maximumFrameSize = 131_072
    #expect(try decoder.decode(buffer: &buffer) == body)
  }

  @Test func errorDescriptionNamesTheCode() {
    #expect("\(AMQPProtocolError(.unknownMethod, "tx method 12"))" == "AMQPProtocolError(unknownMethod: tx method 12)")
    #expect("\(AMQPProtocolError(.invalidFrameEnd))" == "AMQPProtocolError(invalidFrameEnd)")
  }
}
