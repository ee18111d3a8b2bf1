import AMQPProtocol
import NIOCore
import Testing

/// Wire bytes written out by hand from the AMQP 0-9-1 grammar: frame = type octet, channel
/// short, size long, payload, 0xCE; method payload = class short, method short, arguments.
@Suite struct AMQPGoldenBytesTests {
  @Test func protocolHeader() {
    var buffer = ByteBuffer()
    AMQPFrameEncoder().encodeProtocolHeader(into: &buffer)
    #expect(bytes(buffer) == [0x41, 0x4D, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01])
    #expect(AMQPFrame.protocolHeader == ascii("AMQP") + [0, 0, 9, 1])
  }

  @Test func heartbeat() throws {
    let expected = hex("08 0000 00000000 CE")
    #expect(bytes(try encoded([.heartbeat])) == expected)
    #expect(try decodeAll(expected) == [.heartbeat])
  }

  @Test func connectionTuneOk() throws {
    let frame = AMQPFrame.method(
      channel: 0, .connectionTuneOk(.init(channelMax: 2047, frameMax: 131_072, heartbeat: 60)))
    let expected = hex("01 0000 0000000C 000A 001F 07FF 00020000 003C CE")
    #expect(bytes(try encoded([frame])) == expected)
    #expect(try decodeAll(expected) == [frame])
  }

  @Test func channelOpen() throws {
    let expected = hex("01 0001 00000005 0014 000A 00 CE")
    #expect(bytes(try encoded([.method(channel: 1, .channelOpen)])) == expected)
    #expect(try decodeAll(expected) == [.method(channel: 1, .channelOpen)])
  }

  @Test func basicQos() throws {
    let frame = AMQPFrame.method(channel: 1, .basicQos(.init(prefetchSize: 0, prefetchCount: 100, global: false)))
    // prefetch-size long 0, prefetch-count short 100, global bit in its own octet
    let expected = hex("01 0001 0000000B 003C 000A 00000000 0064 00 CE")
    #expect(bytes(try encoded([frame])) == expected)
    #expect(try decodeAll(expected) == [frame])
  }

  @Test func basicAckMultiple() throws {
    let frame = AMQPFrame.method(channel: 1, .basicAck(.init(deliveryTag: 1, multiple: true)))
    let expected = hex("01 0001 0000000D 003C 0050 0000000000000001 01 CE")
    #expect(bytes(try encoded([frame])) == expected)
    #expect(try decodeAll(expected) == [frame])
  }

  @Test func exchangeDeclareWithPackedBits() throws {
    let declare = AMQPMethod.Exchange.Declare(exchange: "x", type: "direct", durable: true, noWait: true)
    let frame = AMQPFrame.method(channel: 2, .exchangeDeclare(declare))
    // reserved ticket, "x", "direct", bits passive/durable/auto-delete/internal/no-wait = 0b10010, empty table
    let expected =
      hex("01 0002 00000014 0028 000A 0000 01 78 06") + ascii("direct") + hex("12 00000000 CE")
    #expect(bytes(try encoded([frame])) == expected)
    #expect(try decodeAll(expected) == [frame])
  }

  @Test func connectionCloseFromServer() throws {
    let expected =
      hex("01 0000 0000001C 000A 0032 0140 11") + ascii("CONNECTION_FORCED") + hex("0000 0000 CE")
    let frame = AMQPFrame.method(channel: 0, .connectionClose(.init(replyCode: 320, replyText: "CONNECTION_FORCED")))
    #expect(try decodeAll(expected) == [frame])
    #expect(bytes(try encoded([frame])) == expected)
  }

  @Test func bodyFrame() throws {
    let expected = hex("03 0005 00000003 010203 CE")
    let frame = AMQPFrame.body(channel: 5, ByteBuffer(bytes: [1, 2, 3]))
    #expect(bytes(try encoded([frame])) == expected)
    #expect(try decodeAll(expected) == [frame])
  }
}
