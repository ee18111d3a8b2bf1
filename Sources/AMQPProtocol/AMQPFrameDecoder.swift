import NIOCore

/// Splits a byte stream from the server into frames and decodes their payloads.
///
/// Use it with `ByteToMessageHandler`, or call ``decode(buffer:)`` directly. A frame is consumed
/// only once all of it, frame end included, has arrived; until then the decoder returns `nil` and
/// leaves the buffer untouched. Body frames are slices of the input buffer, so they cost no copy.
///
/// Any error leaves the reader index where it was and the stream unusable: the caller must close
/// the connection. Errors are raised as early as the bytes allow, so an oversized or unknown frame
/// is reported from its header without waiting for its payload.
public struct AMQPFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
  /// The decoded message type.
  public typealias InboundOut = AMQPFrame

  /// The largest frame accepted, header and frame end included; larger frames fail with
  /// ``AMQPProtocolError/Code/frameTooLarge``.
  ///
  /// Set it to the `frame-max` agreed in `connection.tune-ok` once the handshake is done. The
  /// default is RabbitMQ's own default, which also leaves room for the server's `connection.start`
  /// before tuning.
  public var maximumFrameSize: UInt32

  /// Creates a decoder accepting frames of up to `maximumFrameSize` bytes.
  public init(maximumFrameSize: UInt32 = 131_072) {
    self.maximumFrameSize = maximumFrameSize
  }

  /// Decodes the next frame, or returns `nil` without moving the reader index if it is incomplete.
  public mutating func decode(buffer: inout ByteBuffer) throws(AMQPProtocolError) -> AMQPFrame? {
    let start = buffer.readerIndex
    guard let type = buffer.getInteger(at: start, as: UInt8.self) else { return nil }
    guard let kind = AMQPFrame.Kind(rawValue: type) else {
      return try rejectUnknownFrame(in: buffer)
    }
    guard let channel = buffer.getInteger(at: start + 1, as: UInt16.self),
      let size = buffer.getInteger(at: start + 3, as: UInt32.self)
    else { return nil }
    guard maximumFrameSize >= UInt32(AMQPFrame.overhead), size <= maximumFrameSize - UInt32(AMQPFrame.overhead),
      let payloadLength = Int(exactly: size)
    else {
      throw AMQPProtocolError(.frameTooLarge, "payload of \(size) bytes, limit \(maximumFrameSize) per frame")
    }
    if kind == .heartbeat, channel != 0 || size != 0 {
      throw AMQPProtocolError(.invalidHeartbeat, "channel \(channel), \(size) bytes of payload")
    }
    let payloadStart = start + AMQPFrame.headerSize
    guard buffer.readableBytes - AMQPFrame.overhead >= payloadLength,
      var payload = buffer.getSlice(at: payloadStart, length: payloadLength),
      let end = buffer.getInteger(at: payloadStart + payloadLength, as: UInt8.self)
    else { return nil }
    guard end == AMQPFrame.frameEnd else {
      throw AMQPProtocolError(.invalidFrameEnd, "octet \(end) after \(kind) frame on channel \(channel)")
    }

    let frame: AMQPFrame
    switch kind {
    case .method:
      frame = .method(channel: channel, try AMQPMethod.decode(from: &payload))
      try requireConsumed(payload, kind)
    case .header:
      frame = .header(channel: channel, try AMQPContentHeader.decode(from: &payload))
      try requireConsumed(payload, kind)
    case .body:
      frame = .body(channel: channel, payload)
    case .heartbeat:
      frame = .heartbeat
    }
    buffer.moveReaderIndex(forwardBy: payloadLength + AMQPFrame.overhead)
    return frame
  }

  /// Decodes the next frame once the stream has ended; an incomplete frame is left in the buffer.
  public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(AMQPProtocolError) -> AMQPFrame? {
    try decode(buffer: &buffer)
  }

  /// Explains an unknown frame type, telling a server's protocol header apart from garbage so the
  /// caller can report a version mismatch rather than a corrupt stream.
  private func rejectUnknownFrame(in buffer: ByteBuffer) throws(AMQPProtocolError) -> AMQPFrame? {
    let available = Array(buffer.readableBytesView.prefix(AMQPFrame.protocolHeader.count))
    let magicLength = min(available.count, 4)
    guard available.prefix(magicLength).elementsEqual(AMQPFrame.protocolHeader.prefix(magicLength)) else {
      throw AMQPProtocolError(.unknownFrameType, "type octet \(available[0])")
    }
    guard available.count == AMQPFrame.protocolHeader.count else { return nil }
    throw AMQPProtocolError(.protocolHeaderReceived, "server offers version \(available.suffix(4).map(String.init))")
  }

  /// Fails unless the arguments or properties used up the whole payload, since extra bytes mean
  /// the peer and this decoder disagree on the layout.
  private func requireConsumed(_ payload: ByteBuffer, _ kind: AMQPFrame.Kind) throws(AMQPProtocolError) {
    guard payload.readableBytes == 0 else {
      throw AMQPProtocolError(.trailingBytes, "\(payload.readableBytes) bytes after \(kind) payload")
    }
  }
}
