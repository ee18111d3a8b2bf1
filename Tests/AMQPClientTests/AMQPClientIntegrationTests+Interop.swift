import AMQPProtocol
import Foundation
import NIOCore
import ShopTestSupport
import Testing

@testable import AMQPClient

/// Messages exchanged with pika, the reference Python client (`scripts/amqp-pika-peer.py`).
extension AMQPClientIntegrationTests {
  static let interopBody: [UInt8] = Array("swift:".utf8) + Array(0...255)

  static func interopProperties(_ index: Int) -> AMQPBasicProperties {
    AMQPBasicProperties(
      contentType: "application/octet-stream", contentEncoding: "identity",
      headers: [
        "index": .int32(Int32(index)), "text": .string("héllo wörld"), "flag": .bool(true), "big": .int64(1 << 40),
        "nested": .table(["key": .string("value")]), "list": .array([.int32(1), .string("two")]),
        "amount": .decimal(scale: 2, value: 12345), "raw": .bytes([0, 1, 255]), "when": .timestamp(1_700_000_000),
        "nothing": .void,
      ],
      deliveryMode: 2, priority: 5, correlationID: "corr-\(index)", replyTo: "replies", expiration: "60000",
      messageID: "msg-\(index)", timestamp: 1_700_000_000 + UInt64(index), type: "interop", userID: "guest",
      appID: "swift-peer")
  }

  @Test func pikaConsumesWhatThisClientPublishes() async throws {
    let queue = prefix + "to-pika"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.queueDeclare(queue, durable: false)
      for index in 0..<3 {
        try await channel.publish(Self.interopBody, routingKey: queue, properties: Self.interopProperties(index))
      }
      let (status, output) = try await Infra.python(
        "scripts/amqp-pika-peer.py", ["consume", "--url", Infra.amqpURL, "--queue", queue, "--count", "3"])
      #expect(status == 0, "\(output)")
      let lines = output.split(separator: "\n").filter { $0.hasPrefix("{") }
      try #require(lines.count == 3)
      for (index, line) in lines.enumerated() {
        let message = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(message["body_hex"] as? String == Self.interopBody.map { String(format: "%02x", $0) }.joined())
        #expect(message["content_type"] as? String == "application/octet-stream")
        #expect(message["content_encoding"] as? String == "identity")
        #expect(message["delivery_mode"] as? Int == 2)
        #expect(message["priority"] as? Int == 5)
        #expect(message["correlation_id"] as? String == "corr-\(index)")
        #expect(message["reply_to"] as? String == "replies")
        #expect(message["expiration"] as? String == "60000")
        #expect(message["message_id"] as? String == "msg-\(index)")
        #expect(message["timestamp"] as? Int == 1_700_000_000 + index)
        #expect(message["type"] as? String == "interop")
        #expect(message["user_id"] as? String == "guest")
        #expect(message["app_id"] as? String == "swift-peer")
        let headers = try #require(message["headers"] as? [String: Any])
        #expect(headers["index"] as? Int == index)
        #expect(headers["text"] as? String == "héllo wörld")
        #expect(headers["flag"] as? Bool == true)
        #expect(headers["big"] as? Int == 1 << 40)
        #expect((headers["nested"] as? [String: Any])?["key"] as? String == "value")
        let list = try #require(headers["list"] as? [Any])
        #expect(list.count == 2 && list[0] as? Int == 1 && list[1] as? String == "two")
        #expect(headers["amount"] as? String == "123.45")
        #expect((headers["raw"] as? [String: Any])?["hex"] as? String == "0001ff")
        #expect(headers["when"] as? Int == 1_700_000_000)
        #expect(headers["nothing"] is NSNull)
      }
      try await channel.queueDelete(queue)
    }
  }

  @Test func thisClientConsumesWhatPikaPublishes() async throws {
    let queue = prefix + "from-pika"
    try await Self.withConnection { (connection: AMQPConnection) async throws in
      let channel = try await connection.openChannel()
      try await channel.queueDeclare(queue, durable: false)
      let (status, output) = try await Infra.python(
        "scripts/amqp-pika-peer.py", ["publish", "--url", Infra.amqpURL, "--queue", queue, "--count", "3"])
      #expect(status == 0, "\(output)")
      try await channel.qos(prefetchCount: 10)
      var index = 0
      for try await delivery in try await channel.consume(queue: queue) {
        #expect(Array(buffer: delivery.body) == Array("pika-\(index):".utf8) + Array(0...255))
        let properties = delivery.properties
        let expected = AMQPBasicProperties(
          contentType: "application/octet-stream", contentEncoding: "identity",
          headers: [
            "index": .int32(Int32(index)), "text": .string("héllo wörld"), "ratio": .decimal(scale: 1, value: 15),
            "flag": .bool(true), "nested": .table(["key": .string("value"), "n": .int32(7)]),
            "list": .array([.int32(1), .string("two"), .decimal(scale: 0, value: 3)]), "big": .int64(1 << 40),
            "none": .void,
          ],
          deliveryMode: 2, priority: 3, correlationID: "corr-\(index)", replyTo: "replies", expiration: "60000",
          messageID: "msg-\(index)", timestamp: 1_700_000_000 + UInt64(index), type: "interop", userID: "guest",
          appID: "pika-peer")
        #expect(properties == expected)
        try delivery.ack()
        index += 1
        if index == 3 { break }
      }
      try await channel.queueDelete(queue)
    }
  }
}
