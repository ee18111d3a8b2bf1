import NIOCore

/// Writes frames into a buffer the caller owns, so one buffer can be reused for every write or
/// filled with several frames to send them together.
///
/// Every method either appends complete frames or, when it throws, leaves the buffer exactly as
/// it was, so a failed encode never leaves half a frame to be flushed.
public struct AMQPFrameEncoder: Sendable {
  /// The largest frame written, header and frame end included; larger frames fail with
  /// ``AMQPProtocolError/Code/frameTooLarge`` and ``encodePublish(_:properties:body:channel:into:)``
  /// splits bodies to fit.
  ///
  /// Set it to the `frame-max` agreed in `connection.tune-ok` once the handshake is done.
  public var maximumFrameSize: UInt32

  /// Creates an encoder writing frames of up to `maximumFrameSize` bytes.
  public init(maximumFrameSize: UInt32 = 131_072) {
    self.maximumFrameSize = maximumFrameSize
  }

  /// Appends the protocol header, ``AMQPFrame/protocolHeader``, which opens every connection.
  public func encodeProtocolHeader(into buffer: inout ByteBuffer) {
    buffer.writeBytes(AMQPFrame.protocolHeader)
  }

  /// Appends one frame.
  ///
  /// Fails with ``AMQPProtocolError/Code/frameTooLarge`` when the frame exceeds
  /// ``maximumFrameSize`` and with ``AMQPProtocolError/Code/shortStringTooLong`` when a short
  /// string argument or property exceeds 255 bytes.
  public func encode(_ frame: AMQPFrame, into buffer: inout ByteBuffer) throws(AMQPProtocolError) {
    switch frame {
    case .method(let channel, let method):
      try writeFrame(.method, channel: channel, into: &buffer) { (buffer) throws(AMQPProtocolError) in
        try method.encode(into: &buffer)
      }
    case .header(let channel, let header):
      try writeFrame(.header, channel: channel, into: &buffer) { (buffer) throws(AMQPProtocolError) in
        try header.encode(into: &buffer)
      }
    case .body(let channel, let body):
      try writeFrame(.body, channel: channel, into: &buffer) { $0.writeImmutableBuffer(body) }
    case .heartbeat:
      try writeFrame(.heartbeat, channel: 0, into: &buffer) { _ in }
    }
  }

  /// Appends a whole message: the `basic.publish` method frame, the content header frame and as
  /// many body frames as the body needs, each carrying at most ``maximumFrameSize`` minus 8
  /// bytes of it.
  ///
  /// An empty body is sent as a header announcing size 0 and no body frames. The body's bytes
  /// are copied into `buffer`; `body` itself is not consumed.
  public func encodePublish(
    _ publish: AMQPMethod.Basic.Publish, properties: AMQPBasicProperties = AMQPBasicProperties(), body: ByteBuffer,
    channel: UInt16, into buffer: inout ByteBuffer
  ) throws(AMQPProtocolError) {
    let start = buffer.writerIndex
    do throws(AMQPProtocolError) {
      try encode(.method(channel: channel, .basicPublish(publish)), into: &buffer)
      let header = AMQPContentHeader(bodySize: UInt64(body.readableBytes), properties: properties)
      try encode(.header(channel: channel, header), into: &buffer)
      try encodeBody(body, channel: channel, into: &buffer)
    } catch {
      buffer.moveWriterIndex(to: start)
      throw error
    }
  }

  /// The most payload bytes a frame may carry, negative if the limit cannot fit a frame at all.
  private var maximumPayloadSize: Int {
    Int(clamping: maximumFrameSize) - AMQPFrame.overhead
  }

  /// Appends the body as frames of at most ``maximumFrameSize`` minus 8 bytes, none for an empty
  /// body.
  private func encodeBody(_ body: ByteBuffer, channel: UInt16, into buffer: inout ByteBuffer) throws(AMQPProtocolError)
  {
    guard body.readableBytes > 0 else { return }
    // A limit too small for any payload has already failed the method frame; the floor only
    // keeps the arithmetic below defined.
    let chunkSize = max(1, maximumPayloadSize)
    let frameCount = (body.readableBytes - 1) / chunkSize + 1
    buffer.reserveCapacity(minimumWritableBytes: body.readableBytes + frameCount * AMQPFrame.overhead)
    var remaining = body
    while let chunk = remaining.readSlice(length: min(remaining.readableBytes, chunkSize)), chunk.readableBytes > 0 {
      try encode(.body(channel: channel, chunk), into: &buffer)
    }
  }

  /// Writes the frame header with a placeholder size, lets `writePayload` append the payload,
  /// then fills in the size, because method and header payloads are only measured by encoding
  /// them.
  private func writeFrame(
    _ kind: AMQPFrame.Kind, channel: UInt16, into buffer: inout ByteBuffer,
    _ writePayload: (inout ByteBuffer) throws(AMQPProtocolError) -> Void
  ) throws(AMQPProtocolError) {
    let start = buffer.writerIndex
    buffer.writeInteger(kind.rawValue)
    buffer.writeInteger(channel)
    buffer.writeInteger(UInt32(0))
    do throws(AMQPProtocolError) {
      try writePayload(&buffer)
    } catch {
      buffer.moveWriterIndex(to: start)
      throw error
    }
    let payloadSize = buffer.writerIndex - start - AMQPFrame.headerSize
    guard payloadSize <= maximumPayloadSize, let size = UInt32(exactly: payloadSize) else {
      buffer.moveWriterIndex(to: start)
      throw AMQPProtocolError(.frameTooLarge, "\(kind) payload of \(payloadSize) bytes, limit \(maximumFrameSize)")
    }
    buffer.setInteger(size, at: start + 3)
    buffer.writeInteger(AMQPFrame.frameEnd)
  }
}
