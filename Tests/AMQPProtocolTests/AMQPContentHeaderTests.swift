import AMQPProtocol
import NIOCore
import Testing

@Suite struct AMQPContentHeaderTests {
  static let allProperties = AMQPBasicProperties(
    contentType: "application/json", contentEncoding: "gzip",
    headers: ["x-retry": .int32(3), "trace": .table(["id": "abc"])], deliveryMode: 2, priority: 7,
    correlationID: "req-42", replyTo: "amq.rabbitmq.reply-to", expiration: "60000", messageID: "msg-1",
    timestamp: 1_700_000_000, type: "order.created", userID: "guest", appID: "shop", clusterID: "cluster-a")

  @Test func headerWithAllFourteenPropertiesRoundTrips() throws {
    let header = AMQPContentHeader(bodySize: 1_234_567, properties: Self.allProperties)
    #expect(Self.allProperties.flags == 0b1111_1111_1111_1100)
    #expect(try decodeAll(bytes(try encoded([.header(channel: 3, header)]))) == [.header(channel: 3, header)])
  }

  @Test func headerWithNoPropertiesIsFourteenBytesOfPayload() throws {
    let header = AMQPContentHeader(bodySize: 0)
    let wire = try encoded([.header(channel: 3, header)])
    #expect(bytes(wire) == hex("02 0003 0000000E 003C 0000 0000000000000000 0000 CE"))
    #expect(try decodeAll(bytes(wire)) == [.header(channel: 3, header)])
  }

  struct SingleProperty: Sendable, CustomTestStringConvertible {
    var name: String
    var bit: Int
    var properties: AMQPBasicProperties
    var testDescription: String { name }
  }

  static let singleProperties: [SingleProperty] = [
    SingleProperty(name: "content-type", bit: 15, properties: .init(contentType: "text/plain")),
    SingleProperty(name: "content-encoding", bit: 14, properties: .init(contentEncoding: "utf-8")),
    SingleProperty(name: "headers", bit: 13, properties: .init(headers: [:])),
    SingleProperty(name: "delivery-mode", bit: 12, properties: .init(deliveryMode: 1)),
    SingleProperty(name: "priority", bit: 11, properties: .init(priority: 0)),
    SingleProperty(name: "correlation-id", bit: 10, properties: .init(correlationID: "c")),
    SingleProperty(name: "reply-to", bit: 9, properties: .init(replyTo: "r")),
    SingleProperty(name: "expiration", bit: 8, properties: .init(expiration: "1000")),
    SingleProperty(name: "message-id", bit: 7, properties: .init(messageID: "")),
    SingleProperty(name: "timestamp", bit: 6, properties: .init(timestamp: 0)),
    SingleProperty(name: "type", bit: 5, properties: .init(type: "t")),
    SingleProperty(name: "user-id", bit: 4, properties: .init(userID: "u")),
    SingleProperty(name: "app-id", bit: 3, properties: .init(appID: "a")),
    SingleProperty(name: "cluster-id", bit: 2, properties: .init(clusterID: "c")),
  ]

  @Test(arguments: singleProperties)
  func eachPropertySetsItsOwnFlagBit(_ single: SingleProperty) throws {
    #expect(single.properties.flags == 1 << single.bit)
    let header = AMQPContentHeader(bodySize: 10, properties: single.properties)
    var buffer = ByteBuffer()
    try header.encode(into: &buffer)
    #expect(buffer.getInteger(at: 12, as: UInt16.self) == 1 << single.bit)
    #expect(try AMQPContentHeader.decode(from: &buffer) == header)
    #expect(buffer.readableBytes == 0)
  }

  @Test func headerMatchesHandWrittenBytes() throws {
    let properties = AMQPBasicProperties(contentType: "text/plain", deliveryMode: 2)
    let wire = try encoded([.header(channel: 1, AMQPContentHeader(bodySize: 5, properties: properties))])
    let expected =
      hex("02 0001 0000001A 003C 0000 0000000000000005 9000 0A") + ascii("text/plain") + hex("02 CE")
    #expect(bytes(wire) == expected)
  }

  @Test func overlongStringPropertyFailsWithoutWriting() {
    var buffer = ByteBuffer()
    let header = AMQPContentHeader(bodySize: 1, properties: .init(appID: String(repeating: "a", count: 300)))
    let error = #expect(throws: AMQPProtocolError.self) { try header.encode(into: &buffer) }
    #expect(error?.code == .shortStringTooLong)
    #expect(buffer.writerIndex == 0)
  }
}
