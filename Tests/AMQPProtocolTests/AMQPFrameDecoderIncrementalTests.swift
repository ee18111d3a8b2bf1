import AMQPProtocol
import NIOCore
import Testing

@Suite struct AMQPFrameDecoderIncrementalTests {
  /// A realistic stretch of a conversation: tuning, a delivery with a body split over two frames,
  /// a heartbeat and a confirm.
  static let frames: [AMQPFrame] = [
    .method(channel: 0, .connectionTune(.init(channelMax: 2047, frameMax: 131_072, heartbeat: 60))),
    .method(
      channel: 1,
      .basicDeliver(.init(consumerTag: "ctag", deliveryTag: 1, exchange: "orders", routingKey: "order.created"))),
    .header(
      channel: 1,
      AMQPContentHeader(bodySize: 11, properties: .init(contentType: "text/plain", headers: ["attempt": .int32(1)]))),
    .body(channel: 1, ByteBuffer(string: "hello ")),
    .body(channel: 1, ByteBuffer(string: "world")),
    .heartbeat,
    .method(channel: 1, .basicAck(.init(deliveryTag: 1))),
  ]

  /// The offset at which each frame of `frames` ends.
  static func frameEnds() throws -> [Int] {
    var ends: [Int] = []
    var total = 0
    for frame in frames {
      total += try encoded([frame]).readableBytes
      ends.append(total)
    }
    return ends
  }

  @Test func everyStrictPrefixOfAFrameDecodesToNilWithoutConsuming() throws {
    for frame in Self.frames {
      let wire = bytes(try encoded([frame]))
      for length in 0..<wire.count {
        var decoder = AMQPFrameDecoder()
        var buffer = ByteBuffer(bytes: wire[..<length])
        #expect(try decoder.decode(buffer: &buffer) == nil, "prefix of \(length) bytes of \(frame)")
        #expect(buffer.readerIndex == 0)
        #expect(buffer.readableBytes == length)
      }
    }
  }

  @Test func everyPrefixOfAStreamYieldsExactlyTheCompleteFrames() throws {
    let wire = bytes(try encoded(Self.frames))
    let ends = try Self.frameEnds()
    #expect(ends.last == wire.count)
    for length in 0...wire.count {
      var decoder = AMQPFrameDecoder()
      var buffer = ByteBuffer(bytes: wire[..<length])
      let decoded = try decodeAvailable(&buffer, with: &decoder)
      let complete = ends.filter { $0 <= length }
      #expect(decoded == Array(Self.frames.prefix(complete.count)))
      #expect(buffer.readerIndex == (complete.last ?? 0))
    }
  }

  @Test func streamSplitAtEveryOffsetDecodesTheSame() throws {
    let wire = bytes(try encoded(Self.frames))
    for split in 0...wire.count {
      var decoder = AMQPFrameDecoder()
      var buffer = ByteBuffer(bytes: wire[..<split])
      var decoded = try decodeAvailable(&buffer, with: &decoder)
      buffer.writeBytes(wire[split...])
      decoded += try decodeAvailable(&buffer, with: &decoder)
      #expect(decoded == Self.frames, "split at \(split)")
      #expect(buffer.readableBytes == 0)
    }
  }

  @Test func streamFedOneByteAtATimeDecodesTheSame() throws {
    let wire = bytes(try encoded(Self.frames))
    var decoder = AMQPFrameDecoder()
    var buffer = ByteBuffer()
    var decoded: [AMQPFrame] = []
    for byte in wire {
      buffer.writeInteger(byte)
      decoded += try decodeAvailable(&buffer, with: &decoder)
      buffer.discardReadBytes()
    }
    #expect(decoded == Self.frames)
  }

  @Test func decodeLastDecodesCompleteFramesAndLeavesAnIncompleteOne() throws {
    var wire = bytes(try encoded([.heartbeat, .heartbeat]))
    wire.removeLast()
    var decoder = AMQPFrameDecoder()
    var buffer = ByteBuffer(bytes: wire)
    #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == .heartbeat)
    #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
    #expect(buffer.readableBytes == 7)
  }

  @Test func frameOfExactlyTheMaximumSizeIsAccepted() throws {
    let limit: UInt32 = 4096
    let body = AMQPFrame.body(channel: 1, ByteBuffer(repeating: 0xAB, count: Int(limit) - 8))
    let wire = try encoded([body], maximumFrameSize: limit)
    #expect(wire.readableBytes == Int(limit))
    #expect(try decodeAll(bytes(wire), maximumFrameSize: limit) == [body])
  }

  @Test func publishSplitsALargeBodyIntoFramesThatReassemble() throws {
    let limit: UInt32 = 4096
    let encoder = AMQPFrameEncoder(maximumFrameSize: limit)
    var body = ByteBuffer()
    for index in 0..<300_000 {
      body.writeInteger(UInt8(truncatingIfNeeded: index &* 31))
    }
    let publish = AMQPMethod.Basic.Publish(exchange: "uploads", routingKey: "files", mandatory: true)
    let properties = AMQPBasicProperties(contentType: "application/octet-stream", deliveryMode: 2)
    var buffer = ByteBuffer(bytes: [0xEE])
    try encoder.encodePublish(publish, properties: properties, body: body, channel: 9, into: &buffer)
    #expect(body.readableBytes == 300_000)
    #expect(buffer.readInteger(as: UInt8.self) == 0xEE)

    let frames = try decodeAll(bytes(buffer), maximumFrameSize: limit)
    let chunkSize = Int(limit) - 8
    let expectedBodyFrames = (300_000 + chunkSize - 1) / chunkSize
    #expect(frames.count == 2 + expectedBodyFrames)
    #expect(frames.first == .method(channel: 9, .basicPublish(publish)))
    #expect(
      frames.dropFirst().first == .header(channel: 9, AMQPContentHeader(bodySize: 300_000, properties: properties)))

    var reassembled = ByteBuffer()
    for (index, frame) in frames.dropFirst(2).enumerated() {
      guard case .body(let channel, let chunk) = frame else {
        Issue.record("expected a body frame, got \(frame)")
        continue
      }
      #expect(channel == 9)
      #expect(chunk.readableBytes == (index < expectedBodyFrames - 1 ? chunkSize : 300_000 % chunkSize))
      reassembled.writeImmutableBuffer(chunk)
    }
    #expect(reassembled == body)
  }

  @Test func publishWithEmptyBodySendsNoBodyFrame() throws {
    var buffer = ByteBuffer()
    let publish = AMQPMethod.Basic.Publish(routingKey: "jobs")
    try AMQPFrameEncoder().encodePublish(publish, body: ByteBuffer(), channel: 1, into: &buffer)
    #expect(
      try decodeAll(bytes(buffer)) == [
        .method(channel: 1, .basicPublish(publish)), .header(channel: 1, AMQPContentHeader(bodySize: 0)),
      ])
  }

  @Test func publishBodyThatFitsOneFrameIsNotSplit() throws {
    var buffer = ByteBuffer()
    let publish = AMQPMethod.Basic.Publish(routingKey: "jobs")
    let body = ByteBuffer(repeating: 1, count: 4088)
    try AMQPFrameEncoder(maximumFrameSize: 4096).encodePublish(publish, body: body, channel: 1, into: &buffer)
    #expect(try decodeAll(bytes(buffer), maximumFrameSize: 4096).count == 3)
  }

  @Test func failedPublishLeavesTheBufferUntouched() throws {
    var buffer = ByteBuffer(bytes: [1, 2, 3])
    let tooLong = AMQPMethod.Basic.Publish(routingKey: String(repeating: "r", count: 256))
    let keyError = #expect(throws: AMQPProtocolError.self) {
      try AMQPFrameEncoder().encodePublish(tooLong, body: ByteBuffer(string: "x"), channel: 1, into: &buffer)
    }
    #expect(keyError?.code == .shortStringTooLong)
    #expect(bytes(buffer) == [1, 2, 3])

    let badProperties = AMQPBasicProperties(messageID: String(repeating: "m", count: 256))
    let propertyError = #expect(throws: AMQPProtocolError.self) {
      try AMQPFrameEncoder().encodePublish(
        .init(routingKey: "ok"), properties: badProperties, body: ByteBuffer(string: "x"), channel: 1, into: &buffer)
    }
    #expect(propertyError?.code == .shortStringTooLong)
    #expect(bytes(buffer) == [1, 2, 3])
  }

  @Test func frameLimitTooSmallForAnyPayloadFailsThePublish() throws {
    var buffer = ByteBuffer()
    let encoder = AMQPFrameEncoder(maximumFrameSize: 8)
    let error = #expect(throws: AMQPProtocolError.self) {
      try encoder.encodePublish(.init(routingKey: "q"), body: ByteBuffer(string: "x"), channel: 1, into: &buffer)
    }
    #expect(error?.code == .frameTooLarge)
    #expect(buffer.readableBytes == 0)
    try encoder.encode(.heartbeat, into: &buffer)
    #expect(bytes(buffer) == hex("08 0000 00000000 CE"))
  }

  @Test func encoderRefusesFramesAboveItsLimit() {
    var buffer = ByteBuffer()
    let encoder = AMQPFrameEncoder(maximumFrameSize: 4096)
    let error = #expect(throws: AMQPProtocolError.self) {
      try encoder.encode(.body(channel: 1, ByteBuffer(repeating: 0, count: 4089)), into: &buffer)
    }
    #expect(error?.code == .frameTooLarge)
    #expect(buffer.readableBytes == 0)
  }
}
